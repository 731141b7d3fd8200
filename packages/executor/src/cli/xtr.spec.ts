import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCatalog } from '@xtr-nx/catalog';
import { chunkRow, makeWorkspace, runCli, SAMPLE_SOURCES } from '../test-utils/fixtures';

describe('xtr build', () => {
  it('builds, prints the summary and exits 0', async () => {
    const root = await makeWorkspace(SAMPLE_SOURCES.map((s, i) => chunkRow(BigInt(i), s)));
    const result = await runCli(['build', '--threads', '1'], root);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/xtr index built: out\/index/);
    expect(result.stdout).toMatch(/chunks +4\n/);
    expect(result.stdout).toMatch(/dim +128 \(float16\), encoder builtin:hash/);
    expect(result.stdout).toMatch(/tokens\/s/);
  });

  it('fails on an empty catalog, names it, and leaves the previous index untouched', async () => {
    const root = await makeWorkspace([chunkRow(1n, SAMPLE_SOURCES[0])]);
    expect((await runCli(['build'], root)).exitCode).toBe(0);
    const before = readFileSync(join(root, 'out/index/tokens.f16'));

    await writeCatalog(join(root, 'catalog.duckdb'), [chunkRow(null, 'only a NULL id')]);
    const result = await runCli(['build'], root);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/catalog\.duckdb has no chunks with a non-NULL id in "chunks": nothing to index/);
    expect(readFileSync(join(root, 'out/index/tokens.f16')).equals(before)).toBe(true);
    expect(readdirSync(join(root, 'out'))).toEqual(['index']);
  });

  it('publishes nothing when the very first build has an empty catalog', async () => {
    const root = await makeWorkspace([]);
    const result = await runCli(['build'], root);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/nothing to index/);
    expect(existsSync(join(root, 'out'))).toBe(false);
  });

  const writeConfig = (text: string) => (root: string) => writeFileSync(join(root, 'xtr.config.json'), text);
  it.each([
    [
      'a missing config',
      ['--config', 'nope/xtr.config.json'],
      () => undefined,
      /Config file not found: .*nope\/xtr\.config\.json/,
    ],
    ['invalid JSON', [], writeConfig('{'), /xtr\.config\.json is not valid JSON/],
    [
      'an unknown key and a bad dtype',
      [],
      writeConfig(JSON.stringify({ catalog: { path: 'c.duckdb', tabel: 'x' }, output: { dtype: 'int8' } })),
      /\/catalog must NOT have additional properties "tabel"[\s\S]*\/output\/dtype must be equal to one of the allowed values: float16, float32/,
    ],
    ['a missing catalog', ['--catalog', 'absent.duckdb'], () => undefined, /Catalog not found: .*absent\.duckdb/],
  ])('explains %s', async (_, args, setup, message) => {
    const root = await makeWorkspace([chunkRow(1n, 'x')]);
    setup(root);
    const result = await runCli(['build', ...args], root);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it('rejects a bad flag value before doing any work', async () => {
    const root = await makeWorkspace([chunkRow(1n, 'x')]);
    const result = await runCli(['build', '--batch-size', '0'], root);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/--batch-size <n>' argument '0' is invalid\. expected an integer from 1 to 256/);
    const huge = await runCli(['build', '--max-length', '1000000000'], root);
    expect(huge.exitCode).not.toBe(0);
    expect(huge.stderr).toMatch(
      /--max-length <n>' argument '1000000000' is invalid\. expected an integer from 1 to 8192/,
    );
  });
});

describe('xtr verify and xtr fingerprint', () => {
  it('verifies the configured index against its catalog, and names a chunk the catalog gained', async () => {
    const root = await makeWorkspace(SAMPLE_SOURCES.map((s, i) => chunkRow(BigInt(i + 1), s)));
    expect((await runCli(['build'], root)).exitCode).toBe(0);
    const ok = await runCli(['verify'], root);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/xtr verify: out\/index OK \(4 chunks, \d+ tokens, matches catalog catalog\.duckdb\)/);

    await writeCatalog(join(root, 'catalog.duckdb'), [
      ...SAMPLE_SOURCES.map((s, i) => chunkRow(BigInt(i + 1), s)),
      chunkRow(77n, 'new'),
    ]);
    const stale = await runCli(['verify'], root);
    expect(stale.exitCode).toBe(1);
    expect(stale.stderr).toMatch(
      /out\/index has 1 problem\(s\):\n {2}- 1 catalog chunk\(s\) are missing from the index, e\.g\. 77\./,
    );
    expect((await runCli(['verify', 'out/index', '--no-check-catalog'], root)).exitCode).toBe(0);
  });

  it('verifies a bare folder against the catalog its manifest names, says when it cannot, and explains when there is nothing to verify', async () => {
    const root = await makeWorkspace([chunkRow(1n, 'x')]);
    await runCli(['build'], root);
    rmSync(join(root, 'xtr.config.json'));
    expect((await runCli(['verify', 'out/index'], root)).stdout).toMatch(
      /out\/index OK \(1 chunks, \d+ tokens, matches catalog catalog\.duckdb\)/,
    );
    await writeCatalog(join(root, 'catalog.duckdb'), [chunkRow(1n, 'x'), chunkRow(2n, 'y')]);
    expect((await runCli(['verify', 'out/index'], root)).stderr).toMatch(
      /1 catalog chunk\(s\) are missing from the index, e\.g\. 2\./,
    );
    rmSync(join(root, 'catalog.duckdb'));
    expect((await runCli(['verify', 'out/index'], root)).stdout).toMatch(
      /out\/index OK \(1 chunks, \d+ tokens; catalog not compared: the catalog its manifest names, .*catalog\.duckdb, does not exist; pass --catalog\)/,
    );
    const nothing = await runCli(['verify'], root);
    expect(nothing.exitCode).toBe(1);
    expect(nothing.stderr).toMatch(/Nothing to verify: no xtr\.config\.json here/);
  });

  it('fingerprints rows, not file bytes', async () => {
    const root = await makeWorkspace(SAMPLE_SOURCES.map((s, i) => chunkRow(BigInt(i + 1), s)));
    const first = (await runCli(['fingerprint'], root)).stdout;
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    // Same rows inserted in another order into a new file: other bytes, same chunks.
    await writeCatalog(
      join(root, 'catalog.duckdb'),
      SAMPLE_SOURCES.map((s, i) => chunkRow(BigInt(i + 1), s)).reverse(),
    );
    expect((await runCli(['fingerprint'], root)).stdout).toBe(first);
    await writeCatalog(
      join(root, 'catalog.duckdb'),
      SAMPLE_SOURCES.map((s, i) => chunkRow(BigInt(i + 1), i === 0 ? `${s}!` : s)),
    );
    expect((await runCli(['fingerprint'], root)).stdout).not.toBe(first);
  });
});
