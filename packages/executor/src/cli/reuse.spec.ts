import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCatalog } from '@xtr-nx/catalog';
import { makeWorkspace, manyChunks, runCli } from '../test-utils/fixtures';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const INDEX_FILES = ['tokens.f16', 'index.meta.json', 'xtr.manifest.json'];

/** The one namespace's description in a store: `<store>/v1/<namespace>/namespace.json`. */
function namespaceFile(store: string): string {
  const [namespace] = readdirSync(join(store, 'v1')).filter((name) => /^[0-9a-f]{32}$/.test(name));
  return join(store, 'v1', namespace, 'namespace.json');
}

describe('xtr build, reusing vectors', () => {
  it('says what it reused, encoded and deduplicated; --verbose says from where; --full encodes everything', async () => {
    const root = await makeWorkspace(manyChunks(30), { store: { dir: 'store' } });
    const first = await runCli(['build', '--threads', '1'], root);
    expect(first.stdout).toMatch(/reuse +0 reused, 30 encoded, 0 deduplicated\n/);

    // Two chunks edited, one added with the text of chunk 1.
    const rows = manyChunks(30);
    rows[3] = { ...rows[3], content: 'an edited chunk' };
    rows[4] = { ...rows[4], content: 'another edited chunk' };
    await writeCatalog(join(root, 'catalog.duckdb'), [...rows, { ...rows[0], id: 99n }]);
    const second = await runCli(['build', '--threads', '1', '--verbose'], root);
    expect(second.exitCode).toBe(0);
    // 30 chunks are too few tokens to measure an encoding speed: no estimate of the time saved.
    expect(second.stdout).toMatch(/reuse +28 reused \(28 from the previous index\), 2 encoded, 1 deduplicated\n/);
    expect(second.stdout).toContain(`reusing vectors from the previous index at ${join(root, 'out/index')}`);
    expect(second.stdout).toContain(`vector store at ${join(root, 'store')}`);
    const incremental = INDEX_FILES.map((file) => sha(join(root, 'out/index', file)));

    const full = await runCli(['build', '--threads', '1', '--full'], root);
    expect(full.stdout).toMatch(/reuse +0 reused, 30 encoded, 1 deduplicated\n/);
    expect(INDEX_FILES.map((file) => sha(join(root, 'out/index', file)))).toEqual(incremental);
  });
});

describe('xtr build, estimating the time reuse saved', () => {
  it('uses the encoding speed an earlier build measured and recorded in the store', async () => {
    const root = await makeWorkspace(manyChunks(200), { store: { dir: 'store' } });
    const first = await runCli(['build', '--threads', '1'], root);
    expect(first.stdout).toMatch(/reuse +0 reused, 200 encoded, 0 deduplicated\n/);
    const rate = JSON.parse(readFileSync(namespaceFile(join(root, 'store')), 'utf8')).tokensPerSecond;
    const tokens = Number(/tokens +(\d+)/.exec(first.stdout)?.[1]);

    const again = await runCli(['build', '--threads', '1'], root);
    const saved =
      /reuse +200 reused \(200 from the previous index\), 0 encoded, 0 deduplicated, ~([\d.]+) s of encoding saved\n/.exec(
        again.stdout,
      );
    expect(Number(saved?.[1])).toBeCloseTo(tokens / rate, 1);
  });
});

describe('two builds sharing one vector store at the same time', () => {
  it('leave it intact: a third build takes every vector from it and equals a full build', async () => {
    const root = await makeWorkspace(manyChunks(400), { store: { dir: 'store' } });
    const [a, b] = await Promise.all([
      runCli(['build', '--threads', '1', '--output-dir', 'a'], root),
      runCli(['build', '--threads', '1', '--output-dir', 'b'], root),
    ]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    const third = await runCli(['build', '--threads', '1', '--output-dir', 'c'], root);
    expect(third.stdout).toMatch(/reuse +400 reused \(400 from the vector store\), 0 encoded, 0 deduplicated/);
    expect(third.stdout).not.toContain('warning');
    const full = await runCli(['build', '--threads', '1', '--output-dir', 'full', '--full'], root);
    expect(full.exitCode).toBe(0);
    for (const file of INDEX_FILES) expect(sha(join(root, 'c', file))).toBe(sha(join(root, 'full', file)));
  });
});

describe('xtr cache', () => {
  it('reports the store, prunes it to a bound and clears it', async () => {
    const root = await makeWorkspace(manyChunks(12), { store: { dir: 'store', maxSize: '1GiB' } });
    await runCli(['build', '--threads', '1'], root);

    const stats = await runCli(['cache', 'stats'], root);
    expect(stats.exitCode).toBe(0);
    expect(stats.stdout).toMatch(
      /^xtr vector store: store\n {2}12 entries, [\d.]+ MiB of 1.00 GiB\n {2}encoder [0-9a-f]+/,
    );
    expect(stats.stdout).toMatch(/float16 dim 128: 12 entries/);
    const json = JSON.parse((await runCli(['cache', 'stats', '--json'], root)).stdout);
    expect(json).toMatchObject({ dir: join(root, 'store'), entries: 12, maxBytes: 2 ** 30 });

    const prune = await runCli(['cache', 'prune', '--max-size', `${Math.floor(json.bytes / 2)}B`], root);
    expect(prune.exitCode).toBe(0);
    const left = JSON.parse((await runCli(['cache', 'stats', '--json'], root)).stdout);
    expect(left.bytes).toBeLessThanOrEqual(json.bytes / 2);
    expect(left.entries).toBeGreaterThan(0);
    expect(prune.stdout).toMatch(new RegExp(`^xtr cache prune: removed ${12 - left.entries} entries`));

    const clear = await runCli(['cache', 'clear'], root);
    expect(clear.stdout).toMatch(new RegExp(`^xtr cache clear: removed ${left.entries} entries`));
    expect(JSON.parse((await runCli(['cache', 'stats', '--json'], root)).stdout)).toMatchObject({ entries: 0 });
  });

  it('says so when the config turns the store off, and rejects a size it cannot read', async () => {
    const root = await makeWorkspace(manyChunks(1));
    const off = await runCli(['cache', 'stats'], root);
    expect(off.exitCode).toBe(1);
    expect(off.stderr).toContain('The vector store is turned off in');
    expect(off.stderr).not.toMatch(/\n\s+at /);

    writeFileSync(
      join(root, 'xtr.config.json'),
      JSON.stringify({ catalog: { path: 'catalog.duckdb' }, store: { dir: 's' } }),
    );
    const badSize = await runCli(['cache', 'prune', '--max-size', 'lots'], root);
    expect(badSize.exitCode).toBe(1);
    expect(badSize.stderr).toContain('"lots" is not a size: write it like 4GiB, 500MB or 1024B.');
  });
});
