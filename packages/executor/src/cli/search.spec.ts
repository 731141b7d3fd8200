import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCatalog } from '@xtr-nx/catalog';
import { chunkRow, makeWorkspace, runCli, writeTestModel } from '../test-utils/fixtures';

const SOURCES = [
  'export function parseConfig(path: string) {\n  return JSON.parse(readFileSync(path, "utf8"));\n}\n',
  'export async function renameAtomically(from: string, to: string) {\n  await rename(from, to);\n}\n',
  'class VectorStore {\n  prune(maxSize: number) { this.evictLeastRecentlyUsed(maxSize); }\n}\n',
];

/** A workspace whose index is built: chunks 11, 12, 13 from `SOURCES`. */
async function builtWorkspace(config: object = {}) {
  const rows = SOURCES.map((s, i) => ({ ...chunkRow(BigInt(11 + i), s), uri: `src/f${i}.ts`, preview: s }));
  const root = await makeWorkspace(rows, config);
  const build = await runCli(['build', '--threads', '1'], root);
  expect(build.exitCode).toBe(0);
  return root;
}

describe('xtr search', () => {
  let root: string;
  beforeAll(async () => {
    root = await builtWorkspace();
  });

  it('prints a table of hits: rank, score, uri:lines and the preview’s first line', async () => {
    const result = await runCli(['search', 'parse config', '--k', '2'], root);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^"parse config": maxsim over 3 chunks of out\/index, 2 hits \(\d+ ms\)$/);
    expect(lines[1]).toMatch(/^rank +score +chunk +preview$/);
    expect(lines[2]).toMatch(/^ +1 +\d+\.\d{3} +src\/f0\.ts:1-3 +export function parseConfig\(path: string\) \{$/);
    expect(lines).toHaveLength(4);
  });

  it('prints JSON lines with ids as strings, explanations and the catalog’s fields', async () => {
    const result = await runCli(['search', 'vector store prune', '--json', '--explain', '--k', '1'], root);
    expect(result.exitCode).toBe(0);
    const hits = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({
      query: 'vector store prune',
      rank: 1,
      id: '13',
      uri: 'src/f2.ts',
      start_line: 1,
      end_line: 3,
      preview: SOURCES[2],
    });
    // builtin:hash: a document marker, then "vector", "store", "prune", each found verbatim in
    // `class VectorStore {\n  prune(…`: rows 0 ([DOC]), 2, 3 and 5.
    expect(hits[0].matches).toEqual([
      { q_index: 0, q_token: '[DOC]', doc_index: 0, doc_token: '[DOC]', similarity: expect.any(Number) },
      { q_index: 1, q_token: 'vector', doc_index: 2, doc_token: 'vector', similarity: expect.any(Number) },
      { q_index: 2, q_token: 'store', doc_index: 3, doc_token: 'store', similarity: expect.any(Number) },
      { q_index: 3, q_token: 'prune', doc_index: 5, doc_token: 'prune', similarity: expect.any(Number) },
    ]);
  });

  it('rescores only the candidates, and scores with xtr', async () => {
    const rescored = await runCli(['search', 'parse config', '--candidates', '12', '13', '99', '--json'], root);
    expect(rescored.exitCode).toBe(0);
    expect(
      rescored.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual(expect.arrayContaining(['12', '13']));
    expect(rescored.stdout.trim().split('\n')).toHaveLength(2);
    const xtr = await runCli(['search', 'rename atomically', '--mode', 'xtr', '--json', '--k', '1'], root);
    expect(xtr.exitCode).toBe(0);
    expect(JSON.parse(xtr.stdout).id).toBe('12');
  });

  it.each([
    ['an empty query', ['search', '  '], /xtr search failed: The query is empty: give the text to search for\./],
    ['k 0', ['search', 'x', '--k', '0'], /option '-k, --k <n>' argument '0' is invalid\. expected an integer from 1/],
    ['k -2', ['search', 'x', '--k', '-2'], /option '-k, --k <n>' argument '-2' is invalid/],
    [
      'an unknown mode',
      ['search', 'x', '--mode', 'bm25'],
      /argument 'bm25' is invalid\. Allowed choices are maxsim, xtr/,
    ],
    ['a candidate that is no id', ['search', 'x', '--candidates', '12a'], /expected chunk ids \(integers\), got "12a"/],
    [
      'a folder that is not an index',
      ['search', 'x', '--dir', 'src'],
      /xtr search failed: No index at .*src: index\.meta\.json is missing\. Build it first/,
    ],
  ])('refuses %s with a clear message and exit code 1', async (_, args, message) => {
    mkdirSync(join(root, 'src'), { recursive: true });
    const result = await runCli(args, root);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('refuses a query encoder that is not the index’s, naming both', async () => {
    writeFileSync(
      join(root, 'other.config.json'),
      JSON.stringify({ catalog: { path: 'catalog.duckdb' }, encoder: { maxLength: 64 }, output: { dir: 'out/index' } }),
    );
    const result = await runCli(['search', 'parse config', '--config', 'other.config.json'], root);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /The index at out\/index was built with encoder builtin:hash \(fingerprint [0-9a-f]{12}\), but the query encoder is builtin:hash \(fingerprint [0-9a-f]{12}\): their vectors are not comparable/,
    );
  });

  it('refuses a query that tokenizes to nothing with a learned tokenizer', async () => {
    const modelRoot = await makeWorkspace([chunkRow(1n, SOURCES[0])]);
    const { model, tokenizer } = writeTestModel(modelRoot);
    writeFileSync(
      join(modelRoot, 'xtr.config.json'),
      JSON.stringify({
        catalog: { path: 'catalog.duckdb' },
        encoder: { model, tokenizer },
        output: { dir: 'out/index' },
        store: false,
      }),
    );
    expect((await runCli(['build', '--threads', '1'], modelRoot)).exitCode).toBe(0);
    const result = await runCli(['search', '\u200b\u200b'], modelRoot);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /The query ".*" tokenizes to nothing \(no token besides the encoder's special ones\)/,
    );
  });

  it('names no chunk tokens when the catalog’s text is no longer the one indexed', async () => {
    const other = await builtWorkspace();
    const edited = SOURCES.map((s, i) => ({ ...chunkRow(BigInt(11 + i), `${s}// edited\n`), uri: `src/f${i}.ts` }));
    await writeCatalog(join(other, 'catalog.duckdb'), edited);
    const result = await runCli(['search', 'vector store prune', '--json', '--explain', '--k', '1'], other);
    expect(result.exitCode).toBe(0);
    const [hit] = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(hit.uri).toBe('src/f2.ts');
    expect(hit.matches.map((m: { q_token: string }) => m.q_token)).toEqual(['[DOC]', 'vector', 'store', 'prune']);
    expect(hit.matches.map((m: { doc_token: unknown }) => m.doc_token)).toEqual([null, null, null, null]);
  });

  it('shows hits by chunk id when the catalog is gone', async () => {
    const other = await builtWorkspace();
    writeFileSync(join(other, 'catalog.duckdb'), '');
    const result = await runCli(['search', 'parse config', '--k', '1'], other);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/ 1 +\d+\.\d{3} +chunk 11/);
    expect(result.stderr).toMatch(/cannot read catalog catalog\.duckdb .*hits are shown by chunk id/);
  });
});
