import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { StorageError } from '../types';
import { entryFile, filesUnder, HEADER, keyOf, rowsOf } from './test-utils/fixtures';
import { VectorStore } from './vector-store';

const NS = { encoder: 'a'.repeat(64), dtype: 'float32', dim: 2 } as const;
const ENTRY_BYTES = HEADER + 1 * 2 * 4;

describe('VectorStore', () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'xtr-store-'));
    dir = join(root, 'store');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  async function fill(keys: number[]): Promise<void> {
    const ns = VectorStore.open({ dir, maxBytes: 2 ** 30 }).namespace(NS);
    for (const i of keys) ns.put(keyOf(i), 1, rowsOf(i, 8));
    await ns.close();
  }

  it.each<[string, () => void, RegExp]>([
    [
      'a folder holding files it did not write',
      () => {
        mkdirSync(join(dir, 'thesis'), { recursive: true });
        writeFileSync(join(dir, 'notes.txt'), 'mine');
      },
      /holds (notes\.txt, thesis|thesis, notes\.txt), and no CACHEDIR\.TAG of xtr-nx/,
    ],
    ['a file', () => writeFileSync(dir, 'mine'), /it is a file/],
    [
      "another tool's cache folder",
      () => {
        mkdirSync(dir);
        writeFileSync(join(dir, 'CACHEDIR.TAG'), 'Signature: 8a477f597d28d172789f06886806bc55\n');
      },
      /CACHEDIR\.TAG was written by another tool/,
    ],
  ])('refuses %s, naming it and the fix, and leaves it as it was', (_, make, reason) => {
    make();
    const before = readdirSync(root, { recursive: true });
    expect(() => VectorStore.open({ dir, maxBytes: 1000 })).toThrow(StorageError);
    expect(() => VectorStore.open({ dir, maxBytes: 1000 })).toThrow(reason);
    expect(() => VectorStore.open({ dir, maxBytes: 1000 })).toThrow(`${dir} as the vector store`);
    expect(() => VectorStore.open({ dir, maxBytes: 1000 })).toThrow(/Choose another store\.dir/);
    expect(readdirSync(root, { recursive: true })).toEqual(before);
  });

  it('creates nothing until the first write, then a tagged cache folder', async () => {
    const store = VectorStore.open({ dir, maxBytes: 1000 });
    const ns = store.namespace(NS);
    expect(await ns.get(keyOf(1))).toBeUndefined();
    await ns.close();
    expect(await store.stats()).toMatchObject({ entries: 0, bytes: 0, namespaces: [] });
    expect(existsSync(dir)).toBe(false);

    await fill([1]);
    const tag = readFileSync(join(dir, 'CACHEDIR.TAG'), 'utf8').split('\n');
    expect(tag[0]).toBe('Signature: 8a477f597d28d172789f06886806bc55');
    expect(tag[1]).toMatch(/^# .*xtr-nx/);
    expect(filesUnder(dir)).toEqual([
      'CACHEDIR.TAG',
      expect.stringMatching(/^v1\/[0-9a-f]{32}\/[0-9a-f]{2}\/[0-9a-f]{30}\.xv$/),
      expect.stringMatching(/^v1\/[0-9a-f]{32}\/namespace\.json$/),
      'v1/usage.json',
    ]);
  });

  it('accepts an empty folder, and its own folder on the next open', async () => {
    mkdirSync(dir);
    await fill([1]);
    await fill([2]);
    expect(await VectorStore.open({ dir, maxBytes: 1000 }).namespace(NS).get(keyOf(1))).toBeDefined();
  });

  it('reports entries and bytes per namespace', async () => {
    await fill([1, 2, 3]);
    const other = VectorStore.open({ dir, maxBytes: 1000 }).namespace({ ...NS, dtype: 'float16' });
    other.put(keyOf(1), 1, rowsOf(1, 4));
    await other.close();
    const stats = await VectorStore.open({ dir, maxBytes: 1000 }).stats();
    expect(stats).toMatchObject({ dir, maxBytes: 1000, entries: 4, bytes: 3 * ENTRY_BYTES + HEADER + 4 });
    expect(
      stats.namespaces
        .map(({ encoderPrefix, dtype, dim, entries, bytes }) => ({ encoderPrefix, dtype, dim, entries, bytes }))
        .sort((a, b) => a.bytes - b.bytes),
    ).toEqual([
      { encoderPrefix: 'aaaaaaaaaaaa', dtype: 'float16', dim: 2, entries: 1, bytes: HEADER + 4 },
      { encoderPrefix: 'aaaaaaaaaaaa', dtype: 'float32', dim: 2, entries: 3, bytes: 3 * ENTRY_BYTES },
    ]);
    expect(stats.namespaces[0].newestUse).toBeInstanceOf(Date);
  });

  it('clear removes every entry and its own bookkeeping, and nothing else', async () => {
    await fill([1, 2]);
    const fan = dirname(entryFile(dir, keyOf(1)));
    writeFileSync(join(fan, 'notes.txt'), 'mine');
    writeFileSync(join(root, 'precious'), 'mine');
    symlinkSync(join(root, 'precious'), join(fan, `${'f'.repeat(30)}.xv`));
    writeFileSync(join(dir, 'v1', 'README'), 'mine');

    const store = VectorStore.open({ dir, maxBytes: 1000 });
    expect(await store.clear()).toEqual({ removedEntries: 2, removedBytes: 2 * ENTRY_BYTES });
    // The namespace's metadata stays as long as its folder does, here kept by the foreign files.
    const fanPath = fan.slice(dir.length + 1);
    expect(filesUnder(dir)).toEqual([
      'CACHEDIR.TAG',
      `${fanPath}/${'f'.repeat(30)}.xv`,
      `${fanPath}/notes.txt`,
      `${dirname(fanPath)}/namespace.json`,
      'v1/README',
    ]);
    expect(readFileSync(join(root, 'precious'), 'utf8')).toBe('mine');
    expect(await store.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('clear leaves no folder of its own behind', async () => {
    await fill([1, 2, 3]);
    await VectorStore.open({ dir, maxBytes: 1000 }).clear();
    expect(readdirSync(dir)).toEqual(['CACHEDIR.TAG']);
  });
});
