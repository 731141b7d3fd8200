/**
 * Search checks CI runs once this repository's index is built:
 *  1. Parity: 24 queries, encoded by the index's own encoder, scored by `scoreQueries` and by the
 *     numpy reference (tools/python/search_reference.py) in maxsim, xtr and rescore — top-10 ids
 *     identical and scores within 1e-3 — on this repository's index (its config) and on an index
 *     of the same catalog built here with a generated transformer and tokenizer (float32).
 *  2. Self-retrieval: every 4th chunk of this repository's catalog queried with its own text; the
 *     share ranked first (goal ≥ 95% with builtin:hash).
 *
 *   tsx --conditions=@xtr-nx/source tools/e2e/search-parity.ts [--config xtr.config.json]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import execa from 'execa';
import { openCatalog, streamChunks } from '@xtr-nx/catalog';
import { writeTestModel } from '@xtr-nx/encoder/testing';
import { normalizeBuildOptions, runBuild } from '@xtr-nx/executor';
import { DEFAULT_TOKEN_K, openQueryEncoder, type QueryEncoder, scoreQueries, type SearchHit } from '@xtr-nx/search';
import { IndexReader } from '@xtr-nx/storage';
import { sourceFiles } from '../catalog/source-files';

const ROOT = resolve(__dirname, '../..');
const displayPath = (path: string) => relative(ROOT, path) || path;
const TOLERANCE = 1e-3;
const K = 10;
/** Self-retrieval: every 4th chunk (by id), queried with its first 128 tokens. */
const SELF_SAMPLE_EVERY = 4;
const SELF_QUERY_TOKENS = 128;
const QUERIES = [
  'atomic rename of the output folder',
  'parse the xtr config file',
  'stream chunks from duckdb',
  'content hash of a chunk',
  'float16 to float32 conversion',
  'L2 normalise token vectors',
  'onnxruntime inference session options',
  'tokenizer encode batch',
  'vector store least recently used prune',
  'merge shard indexes',
  'rendezvous hashing assign shard',
  'verify checksum of tokens file',
  'createNodes plugin targets',
  'remote cache server put get',
  'batch size default threads',
  'previous index reuse fingerprint',
  'progress line per window',
  'kill signal interrupts build',
  'write index meta json offsets lengths',
  'top k heap ties by id',
  'MaxSim sum of best dot products',
  'catalog fingerprint of id and content',
  'executor schema options normalize',
  'error message names the fix',
];

interface Reference {
  top: [string, number][];
  scores: Record<string, number>;
}

/** The numpy reference's answers for `rows` (written to `dir`). */
async function reference(
  indexDir: string,
  rows: Float32Array[],
  scratch: string,
  args: string[],
): Promise<Reference[]> {
  const file = join(scratch, 'queries.f32');
  const stacked = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const r of rows) {
    stacked.set(r, at);
    at += r.length;
  }
  writeFileSync(file, stacked);
  const reader = IndexReader.open(indexDir);
  reader.close();
  const { dim } = reader.meta;
  const rowsPerQuery = JSON.stringify(rows.map((r) => r.length / dim));
  const script = join(ROOT, 'tools/python/search_reference.py');
  const { stdout } = await execa(process.env.XTR_PYTHON ?? 'python3', [script, indexDir, file, rowsPerQuery, ...args], {
    maxBuffer: 1 << 30,
  });
  return JSON.parse(stdout);
}

/** Largest score difference; throws when the top ids differ or a score is off by more than the tolerance. */
function compare(label: string, ours: SearchHit[][], theirs: { top: [string, number][] }[]): number {
  let worst = 0;
  ours.forEach((hits, q) => {
    const ids = hits.map((hit) => hit.id.toString());
    const expected = theirs[q].top.map(([id]) => id);
    if (ids.join() !== expected.join())
      throw new Error(`${label}, query "${QUERIES[q]}": top ids ${ids.join()} but numpy has ${expected.join()}`);
    hits.forEach((hit, i) => (worst = Math.max(worst, Math.abs(hit.score - theirs[q].top[i][1]))));
  });
  if (worst > TOLERANCE) throw new Error(`${label}: a score differs from numpy's by ${worst}`);
  return worst;
}

async function withEncoder<T>(configPath: string, run: (encoder: QueryEncoder, dir: string) => Promise<T>) {
  const options = normalizeBuildOptions(configPath, {}, ROOT);
  const reader = IndexReader.open(options.outputDir);
  reader.close();
  if (!reader.manifest) throw new Error(`${options.outputDir} has no manifest`);
  const encoder = await openQueryEncoder(options.encoder, reader.manifest, options.outputDir);
  try {
    return await run(encoder, reader.dir);
  } finally {
    await encoder.close();
  }
}

/** Maxsim, xtr and rescore against numpy for the index a config describes. */
async function parity(label: string, configPath: string, scratch: string): Promise<void> {
  await withEncoder(configPath, async (encoder, dir) => {
    const rows: Float32Array[] = [];
    for (const query of QUERIES) rows.push(await encoder.encode(query));
    const maxsim = await scoreQueries(dir, rows, { k: K });
    const numpyMaxsim = await reference(dir, rows, scratch, ['--k', String(K)]);
    const maxsimDiff = compare(`${label} maxsim`, maxsim, numpyMaxsim);

    const xtr = await scoreQueries(dir, rows, { k: K, mode: 'xtr' });
    const numpyXtr = await reference(dir, rows, scratch, [
      '--k',
      String(K),
      '--mode',
      'xtr',
      '--token-k',
      String(DEFAULT_TOKEN_K),
    ]);
    const xtrDiff = compare(`${label} xtr`, xtr, numpyXtr);

    // Rescore: the hits of every query, some twice, plus an id no index holds; against the
    // reference's exhaustive scores restricted to them.
    const candidates = [...maxsim.flat().map((hit) => hit.id), maxsim[0][0].id, -1n];
    const rescored = await scoreQueries(dir, rows, { k: K, candidates });
    const kept = new Set(candidates.map(String));
    const restricted = numpyMaxsim.map(({ scores }) => ({
      top: Object.entries(scores)
        .filter(([id]) => kept.has(id))
        .sort(([a, x], [b, y]) => y - x || (BigInt(a) < BigInt(b) ? -1 : 1))
        .slice(0, K),
    }));
    const rescoreDiff = compare(`${label} rescore`, rescored, restricted);
    console.log(
      `search parity, ${label}: ${QUERIES.length} queries, top-${K} identical to numpy; largest score difference ` +
        `maxsim ${maxsimDiff.toExponential(1)}, xtr (k′ ${DEFAULT_TOKEN_K}) ${xtrDiff.toExponential(1)}, rescore ${rescoreDiff.toExponential(1)}`,
    );
  });
}

/**
 * Sampled chunks queried with their own text (its first `SELF_QUERY_TOKENS` tokens): how often
 * each ranks first. 32-token queries of this catalog's chunks would be ambiguous: its 40-line
 * chunks overlap by 10 lines, so a chunk's opening tokens are also, verbatim, in the chunk before
 * it, an exact tie that goes to the lower id.
 */
async function selfRetrieval(configPath: string): Promise<void> {
  const options = normalizeBuildOptions(configPath, {}, ROOT);
  const catalog = await openCatalog({ path: options.catalogPath, table: options.table });
  const chunks: { id: bigint; text: string }[] = [];
  try {
    for await (const batch of streamChunks(catalog, { rows: 0, nullIds: 0 }))
      batch.contents.forEach((text, i) => text.trim() && chunks.push({ id: batch.ids[i], text }));
  } finally {
    catalog.close();
  }
  const sample = chunks.sort((a, b) => (a.id < b.id ? -1 : 1)).filter((_, i) => i % SELF_SAMPLE_EVERY === 0);
  await withEncoder(configPath, async (encoder, dir) => {
    let first = 0;
    let tied = 0;
    for (let from = 0; from < sample.length; from += 64) {
      const batch = sample.slice(from, from + 64);
      const rows: Float32Array[] = [];
      for (const chunk of batch) rows.push(await encoder.encode(chunk.text));
      const hits = await scoreQueries(dir, rows, { k: 5, maxQueryTokens: SELF_QUERY_TOKENS });
      batch.forEach((chunk, i) => {
        if (hits[i][0].id === chunk.id) first++;
        else if (hits[i].find((hit) => hit.id === chunk.id)?.score === hits[i][0].score) tied++;
      });
    }
    const share = first / sample.length;
    console.log(
      `self-retrieval, ${displayPath(configPath)}: ${first} of ${sample.length} sampled chunks (${(share * 100).toFixed(1)}%) ` +
        `ranked first by their own text (${SELF_QUERY_TOKENS} query tokens); ${tied} of the others tied for first ` +
        `with a chunk holding the same tokens (ties go to the lower id)`,
    );
    if (share < 0.95) throw new Error('self-retrieval is below 95%');
  });
}

/** An index of the same catalog, built here with a generated transformer and tokenizer, float32. */
async function generatedModelConfig(configPath: string, scratch: string): Promise<string> {
  const options = normalizeBuildOptions(configPath, {}, ROOT);
  const files = (await sourceFiles(ROOT)).filter((f) => f.endsWith('.ts')).map((f) => join(ROOT, f));
  const { model, tokenizer } = writeTestModel(scratch, { trainingFiles: files.slice(0, 200) });
  const config = join(scratch, 'xtr.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      catalog: { path: options.catalogPath, table: options.table },
      encoder: { model, tokenizer, maxLength: 128 },
      output: { dir: join(scratch, 'index'), dtype: 'float32' },
      store: false,
    }),
  );
  const logger = { info: () => undefined, error: (m: string) => console.error(m) };
  if (!(await runBuild(config, {}, scratch, logger))) throw new Error('building the generated-model index failed');
  return config;
}

async function main() {
  const { values } = parseArgs({ options: { config: { type: 'string', default: 'xtr.config.json' } } });
  const configPath = resolve(ROOT, values.config);
  const scratch = mkdtempSync(join(tmpdir(), 'xtr-search-parity-'));
  try {
    await parity('this repository’s index', configPath, scratch);
    await parity('generated-model index', await generatedModelConfig(configPath, scratch), scratch);
    await selfRetrieval(configPath);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`search parity failed: ${error.message}`);
  process.exit(1);
});
