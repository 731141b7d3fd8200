import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
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
    ['a missing config', ['--config', 'nope/xtr.config.json'], () => undefined, /Config file not found: .*nope\/xtr\.config\.json/],
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
    expect(result.stderr).toMatch(/--batch-size.*expected a positive integer/);
  });
});
