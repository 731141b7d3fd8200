import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import execa from 'execa';
import { IndexReader } from './index-reader';
import { IndexWriter, type ManifestInput } from './index-writer';
import { lockOutput } from './output-lock';
import { OutputSlot } from './output-slot';
import { verifyIndex } from './verify-index';

const MANIFEST: ManifestInput = {
  tool: { name: '@xtr-nx/storage', version: 'test' },
  encoder: { model: 'test', fingerprint: 'f', normalized: true },
  catalog: { path: 'c.duckdb', table: 'chunks', nullIdsSkipped: 0, fingerprint: 'c' },
};

/** Publishes an index of `chunks` one-row chunks (ids 1…chunks) into `outDir`. */
async function publish(outDir: string, chunks = 1): Promise<void> {
  const writer = await IndexWriter.create({ outDir, dim: 2, dtype: 'float32' });
  const ids = BigInt64Array.from({ length: chunks }, (_, i) => BigInt(i + 1));
  await writer.append(
    ids,
    new Int32Array(chunks).fill(1),
    new Float32Array(chunks * 2).map((_, i) => (i % 2 === 0 ? 1 : 0)),
    [...ids],
  );
  await writer.commit(MANIFEST);
}

describe('OutputSlot', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'xtr-slot-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a folder holding files xtr did not write',
      { 'out/mine.txt': 'user data', 'out/notes/todo.md': 'todo', 'out/tokens.f16': 'looks like ours' },
      /it holds mine\.txt, notes\/, which xtr did not write/,
    ],
    ['a file', { out: 'report' }, /it is a file, not an index folder/],
    [
      'index files another tool wrote (no xtr manifest)',
      { 'out/index.meta.json': '{}', 'out/tokens.f16': '' },
      /holds index files but no xtr\.manifest\.json written by xtr/,
    ],
  ])('refuses %s, before any work, and leaves it byte-identical', async (_, files, message) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const entries = readdirSync(root, { recursive: true }).map(String).sort();
    await expect(OutputSlot.claim(join(root, 'out'))).rejects.toThrow(message);
    expect(readdirSync(root, { recursive: true }).map(String).sort()).toEqual(entries);
    for (const [path, text] of Object.entries(files)) expect(readFileSync(join(root, path), 'utf8')).toBe(text);
  });

  it('refuses an output that is, or contains, a protected path', async () => {
    const catalog = join(root, 'data/catalog.duckdb');
    mkdirSync(join(root, 'data'));
    writeFileSync(catalog, 'catalog bytes');
    const protect = [{ path: catalog, what: 'the catalog' }];
    await expect(OutputSlot.claim(catalog, protect)).rejects.toThrow(/at .*catalog\.duckdb: that is the catalog/);
    await expect(OutputSlot.claim(join(root, 'data'), protect)).rejects.toThrow(
      /it contains the catalog \(.*data\/catalog\.duckdb\)/,
    );
    await expect(OutputSlot.claim(root, protect)).rejects.toThrow(/it contains the catalog/);
    expect(readFileSync(catalog, 'utf8')).toBe('catalog bytes');
  });

  it('replaces a missing folder, an empty folder and an index it published', async () => {
    const out = join(root, 'out');
    await publish(out, 1);
    await publish(out, 3);
    expect(IndexReader.open(out).docCount).toBe(3);
    mkdirSync(join(root, 'empty'));
    await publish(join(root, 'empty'), 2);
    expect(readdirSync(root).sort()).toEqual(['empty', 'out']);
  });

  it('publishes through a symlinked output at its target and keeps the link', async () => {
    mkdirSync(join(root, 'big-disk'));
    symlinkSync(join(root, 'big-disk'), join(root, 'out'));
    await publish(join(root, 'out'), 2);
    expect(readdirSync(join(root, 'big-disk')).sort()).toEqual(['index.meta.json', 'tokens.f32', 'xtr.manifest.json']);
    await publish(join(root, 'out'), 3);
    expect(IndexReader.open(join(root, 'out')).docCount).toBe(3);
    symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
    await expect(OutputSlot.claim(join(root, 'dangling'))).rejects.toThrow(
      /is a symbolic link to .*nowhere, which does not exist/,
    );
  });

  it('lets one build at a time publish into a folder: the next one waits, says so once, and can be aborted', async () => {
    const out = join(root, 'out');
    const first = await OutputSlot.claim(out);
    const told: string[] = [];
    let claimed = false;
    const second = OutputSlot.claim(out, [], { onWait: (message) => told.push(message) }).then((slot) => {
      claimed = true;
      return slot;
    });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(claimed).toBe(false);
    expect(told).toEqual([
      expect.stringMatching(
        /^Another xtr build is publishing to .*out: .*\.out\.xtr-lock is held \(refreshed \d+ s ago\)\. Waiting/,
      ),
    ]);
    await first.release();
    await (await second).release();

    const holder = await OutputSlot.claim(out);
    const controller = new AbortController();
    const waiting = OutputSlot.claim(out, [], { signal: controller.signal });
    controller.abort(new Error('stop waiting'));
    await expect(waiting).rejects.toThrow('stop waiting');
    await holder.release();
    expect(readdirSync(root)).toEqual([]);
  });

  it('takes over the lock of a build that died (no pid consulted, so PID 1 and other containers alike) and removes what it left', async () => {
    const out = join(root, 'out');
    await publish(out, 2);
    // A build in another container, PID 1 there, died mid-write: its lock and staging folder remain.
    mkdirSync(join(root, '.out.xtr-lock'));
    const staging = join(root, '.out.xtr-staging-1-deadbeef');
    mkdirSync(staging);
    writeFileSync(join(staging, 'tokens.arrival'), 'partial rows');
    const withForeignFile = join(root, '.out.xtr-staging-1-cafe');
    mkdirSync(withForeignFile);
    writeFileSync(join(withForeignFile, 'keep.txt'), 'not ours');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(root, '.out.xtr-lock'), past, past);
    await publish(out, 3);
    expect(readdirSync(root).sort()).toEqual(['.out.xtr-staging-1-cafe', 'out']);
    expect(readdirSync(withForeignFile)).toEqual(['keep.txt']);
  });

  it('removes its staging folder and frees the folder when released without publishing', async () => {
    const out = join(root, 'out');
    await publish(out, 2);
    const slot = await OutputSlot.claim(out);
    writeFileSync(join(slot.staging, 'tokens.arrival'), 'rows');
    slot.abandonSync();
    expect(readdirSync(root)).toEqual(['out']);
    expect(IndexReader.open(out).docCount).toBe(2);
  });
});

describe('a publish killed between its two renames', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'xtr-window-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('leaves an index readable at the path, and the next reader puts it back', async () => {
    const out = join(root, 'index');
    await publish(out, 5);
    const script = join(__dirname, '../test-utils/publish-and-die.ts');
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    const run = await execa(process.execPath, ['--conditions=@xtr-nx/source', '--import', tsx, script, out], {
      reject: false,
    });
    expect(run.signal).toBe('SIGKILL');
    // The worst moment: no folder at the path, the old index retired, the dead build's lock still fresh.
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root).filter((name) => name.includes('xtr-retired'))).toHaveLength(1);

    const during = IndexReader.open(out);
    expect(during.docCount).toBe(5);
    during.close();
    expect(await verifyIndex(out)).toMatchObject({ ok: true, docCount: 5 });

    // Once the dead build's lock is stale, the next reader restores the folder itself.
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(root, '.index.xtr-lock'), past, past);
    const after = IndexReader.open(out);
    expect(after.docCount).toBe(5);
    after.close();
    expect(readdirSync(root)).toEqual(['index']);
  });

  it('is read from the retired folder when taking the lock fails with a file-system error', async () => {
    const out = join(root, 'index');
    await publish(out, 3);
    renameSync(out, join(root, '.index.xtr-retired-0123456789ab'));
    // A stale file where the lock folder goes: taking the lock over fails (ENOTDIR), as any write
    // does for a reader on a read-only mount. The file itself must survive.
    writeFileSync(join(root, '.index.xtr-lock'), 'not a lock');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(root, '.index.xtr-lock'), past, past);
    expect(IndexReader.open(out).docCount).toBe(3);
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(join(root, '.index.xtr-lock'), 'utf8')).toBe('not a lock');
  });

  it('is read from the retired folder while a live build holds the lock', async () => {
    const out = join(root, 'index');
    await publish(out, 4);
    const lock = await lockOutput(out);
    try {
      renameSync(out, join(root, '.index.xtr-retired-0123456789ab'));
      expect(IndexReader.open(out).docCount).toBe(4);
      expect(existsSync(out)).toBe(false);
    } finally {
      await lock.release();
    }
    expect(IndexReader.open(out).docCount).toBe(4);
    expect(readdirSync(root)).toEqual(['index']);
  });
});
