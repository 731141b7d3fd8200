/**
 * Exhaustive search latency and batch throughput on synthetic float16 indexes (20,000 and 200,000
 * chunks by default), TypeScript (`scoreQueries` from @xtr-nx/search) beside numpy on the same
 * memmap, in the same run. Scorers, each measurement in a fresh process (search-ts.ts,
 * tools/python/search_bench.py) timing query 0 alone, then the batch:
 *
 * - `ts maxsim`, `ts xtr` (k′ = `tokenK`): `scoreQueries`, from opening the index to the top k;
 * - `numpy blocked`: blocks of whole chunks widened to float32, one matmul for every query row of
 *   the batch, `np.maximum.reduceat` per chunk;
 * - `numpy reader`: the Python reader's loop, one chunk and one query at a time, timed on the
 *   first `readerChunks` chunks and scaled to the whole index (its cost is linear in chunks).
 *
 * The token file is read once before the rounds, so every scorer finds it in the page cache; the
 * scorers run interleaved over rounds (rounds.ts) and ratios are taken within a round. The
 * machine's memory bandwidth (numpy `a.sum()` and `np.copyto` over 1 GiB) is measured in the same
 * run. Prints tables; `--json` also writes dist/bench/search.json.
 *
 *   tsx --conditions=@xtr-nx/source tools/bench/search.ts [--sizes 20000,200000] [--batch 16,1]
 *       [--rounds 3] [--mean-length 120] [--reader-chunks 2000] [--token-k 1000] [--json]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import execa from 'execa';
import { ROOT, runTypeScript } from './bench-support';
import { interleaved, pairedRatio, type RunLoad, spread, type Spread } from './rounds';
import { DIM, readOnce, unitRows, writeRandomIndex, Xorshift } from './search-index';
import { searchLines } from './search-report';

export { searchLines } from './search-report';

const PYTHON_BENCH = join(__dirname, '../python/search_bench.py');
const QUERY_ROWS = 32;
const K = 10;

export const SCORERS = ['ts maxsim', 'ts xtr', 'numpy blocked', 'numpy reader'] as const;
export type Scorer = (typeof SCORERS)[number];

export interface SearchOptions {
  readonly sizes?: readonly number[];
  /** Queries per batch, one per size (a batch of 1 times latency alone). */
  readonly batches?: readonly number[];
  readonly rounds?: number;
  /** Chunk lengths: 40–250 tokens with this mean. */
  readonly meanLength?: number;
  readonly readerChunks?: number;
  readonly tokenK?: number;
  /** Progress (e.g. console.error); silent by default. */
  readonly log?: (line: string) => void;
}

export interface ScorerResult {
  readonly latencySeconds: Spread;
  /** Batch seconds, when the batch has more than one query. */
  readonly batchSeconds?: Spread;
  /** Batch queries ÷ batch seconds (latency's inverse for a batch of 1). */
  readonly queriesPerSecond: Spread;
  /** Token rows scored per second for one query × 256 bytes a row, in GB/s (latency). */
  readonly latencyGBps: Spread;
  /** This scorer's time ÷ `ts maxsim`'s in the same round: above 1, TypeScript is faster. */
  readonly vsTsMaxsim: { readonly latency: Spread; readonly batch?: Spread };
  /** Timed on the first `readerChunks` chunks and scaled to the whole index. */
  readonly extrapolatedFromChunks?: number;
}

export interface SizeResult {
  readonly chunks: number;
  readonly tokens: number;
  readonly bytes: number;
  readonly batch: number;
  readonly generateSeconds: number;
  readonly scorers: Record<Scorer, ScorerResult>;
  /** Queries (of the last round's batch) whose top k ids are identical for ts maxsim and numpy blocked. */
  readonly topAgreement: { readonly queries: number; readonly identical: number };
  readonly load: readonly RunLoad[];
}

export interface SearchResult {
  readonly dim: number;
  readonly dtype: 'float16';
  readonly queryRows: number;
  readonly k: number;
  readonly tokenK: number;
  readonly lengths: { readonly min: number; readonly max: number; readonly mean: number };
  readonly rounds: number;
  /** numpy over 1 GiB of float64 in RAM, 5 runs: `a.sum()` (bytes read) and `np.copyto` (bytes read + written). */
  readonly memoryBandwidth: { readonly sumGBps: Spread; readonly copyGBps: Spread };
  /**
   * The numpy blocked scorer's two steps alone on one of its blocks (16384 rows in RAM), 5 runs:
   * float16 → float32 (GB/s of float16) and the float32 products with 32 and 512 query rows (GFLOP/s).
   */
  readonly numpyCeilings: {
    readonly widenGBps: Spread;
    readonly matmulGflops32: Spread;
    readonly matmulGflops512: Spread;
  };
  readonly sizes: readonly SizeResult[];
}

interface Run {
  readonly latencySeconds: number;
  readonly batchSeconds?: number;
  readonly top: string[][];
}

const python = () => process.env.XTR_PYTHON ?? 'python3';

async function machineCeilings(): Promise<Pick<SearchResult, 'memoryBandwidth' | 'numpyCeilings'>> {
  const { stdout } = await execa(python(), [PYTHON_BENCH, 'bandwidth', '--gib', '1']);
  const runs = JSON.parse(stdout) as Record<string, number[]>;
  return {
    memoryBandwidth: { sumGBps: spread(runs.sumGBps), copyGBps: spread(runs.copyGBps) },
    numpyCeilings: {
      widenGBps: spread(runs.widenGBps),
      matmulGflops32: spread(runs.matmulGflops32),
      matmulGflops512: spread(runs.matmulGflops512),
    },
  };
}

async function measureSize(
  tmp: string,
  chunks: number,
  batch: number,
  options: Required<Omit<SearchOptions, 'sizes' | 'batches'>>,
): Promise<SizeResult> {
  const { rounds, meanLength, readerChunks, tokenK, log } = options;
  const dir = join(tmp, `index-${chunks}`);
  const started = Date.now();
  const tokens = await writeRandomIndex(dir, chunks, { min: 40, max: 250, mean: meanLength });
  const generateSeconds = (Date.now() - started) / 1000;
  const bytes = tokens * DIM * 2;
  log(`search bench: ${chunks} chunks, ${tokens} tokens (${(bytes / 1e9).toFixed(2)} GB) in ${generateSeconds} s`);
  await readOnce(join(dir, 'tokens.f16'));

  const queryFile = join(tmp, `queries-${chunks}.f32`);
  writeFileSync(
    queryFile,
    unitRows(new Xorshift(chunks + 1), batch * QUERY_ROWS, new Float32Array(batch * QUERY_ROWS * DIM)),
  );
  const common = [
    dir,
    queryFile,
    JSON.stringify(Array(batch).fill(QUERY_ROWS)),
    '--k',
    String(K),
    '--batch',
    String(batch),
  ];
  const ts = (mode: string) => async (): Promise<Run> =>
    JSON.parse(
      await runTypeScript(join(__dirname, 'search-ts.ts'), [...common, '--mode', mode, '--token-k', String(tokenK)]),
    );
  const numpy = (variant: string, subset?: number) => async (): Promise<Run> => {
    const { stdout } = await execa(python(), [
      PYTHON_BENCH,
      'score',
      ...common,
      '--variant',
      variant,
      ...(subset ? ['--chunks', String(subset)] : []),
    ]);
    return JSON.parse(stdout);
  };
  const subset = Math.min(readerChunks, chunks);
  const { samples, load } = await interleaved<Record<Scorer, Run>>(
    rounds,
    {
      'ts maxsim': ts('maxsim'),
      'ts xtr': ts('xtr'),
      'numpy blocked': numpy('blocked'),
      'numpy reader': numpy('reader', subset),
    },
    (run) => log(`  round ${run.round} ${run.configuration} (other load ${run.otherCoreSeconds} core-s)`),
  );

  const scale = (scorer: Scorer) => (scorer === 'numpy reader' ? chunks / subset : 1);
  const latency = (scorer: Scorer) => samples[scorer].map((run) => run.latencySeconds * scale(scorer));
  const batchTimes = (scorer: Scorer) => samples[scorer].map((run) => (run.batchSeconds ?? 0) * scale(scorer));
  const result = (scorer: Scorer): ScorerResult => ({
    latencySeconds: spread(latency(scorer)),
    ...(batch > 1 && { batchSeconds: spread(batchTimes(scorer)) }),
    queriesPerSecond: spread((batch > 1 ? batchTimes(scorer) : latency(scorer)).map((s) => batch / s)),
    latencyGBps: spread(latency(scorer).map((s) => bytes / 1e9 / s)),
    vsTsMaxsim: {
      latency: pairedRatio(latency(scorer), latency('ts maxsim')),
      ...(batch > 1 && { batch: pairedRatio(batchTimes(scorer), batchTimes('ts maxsim')) }),
    },
    ...(scale(scorer) !== 1 && { extrapolatedFromChunks: subset }),
  });
  const last = (scorer: Scorer) => samples[scorer][rounds - 1].top;
  const identical = last('ts maxsim').filter((ids, q) => ids.join() === last('numpy blocked')[q]?.join()).length;
  rmSync(dir, { recursive: true, force: true });
  return {
    chunks,
    tokens,
    bytes,
    batch,
    generateSeconds,
    scorers: Object.fromEntries(SCORERS.map((scorer) => [scorer, result(scorer)])) as Record<Scorer, ScorerResult>,
    topAgreement: { queries: last('ts maxsim').length, identical },
    load,
  };
}

/** Generates each index in a temporary folder, measures every scorer on it interleaved, removes it. */
export async function measureSearch(options: SearchOptions = {}): Promise<SearchResult> {
  const {
    sizes = [20_000, 200_000],
    batches = [16, 1],
    rounds = 3,
    meanLength = 120,
    readerChunks = 2000,
    tokenK = 1000,
    log = () => undefined,
  } = options;
  if (batches.length !== sizes.length) throw new Error('search bench: give one batch size per index size');
  const ceilings = await machineCeilings();
  const tmp = mkdtempSync(join(tmpdir(), 'xtr-bench-search-'));
  try {
    const results: SizeResult[] = [];
    for (const [i, chunks] of sizes.entries())
      results.push(await measureSize(tmp, chunks, batches[i], { rounds, meanLength, readerChunks, tokenK, log }));
    return {
      dim: DIM,
      dtype: 'float16',
      queryRows: QUERY_ROWS,
      k: K,
      tokenK,
      lengths: { min: 40, max: 250, mean: meanLength },
      rounds,
      ...ceilings,
      sizes: results,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '20000,200000' },
      batch: { type: 'string', default: '16,1' },
      rounds: { type: 'string', default: '3' },
      'mean-length': { type: 'string', default: '120' },
      'reader-chunks': { type: 'string', default: '2000' },
      'token-k': { type: 'string', default: '1000' },
      json: { type: 'boolean', default: false },
    },
  });
  const numbers = (text: string) => text.split(',').map(Number);
  const result = await measureSearch({
    sizes: numbers(values.sizes),
    batches: numbers(values.batch),
    rounds: Number(values.rounds),
    meanLength: Number(values['mean-length']),
    readerChunks: Number(values['reader-chunks']),
    tokenK: Number(values['token-k']),
    log: (line) => console.error(line),
  });
  for (const line of searchLines(result)) console.log(line);
  if (values.json) {
    mkdirSync(join(ROOT, 'dist/bench'), { recursive: true });
    writeFileSync(join(ROOT, 'dist/bench/search.json'), `${JSON.stringify(result, null, 2)}\n`);
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.stack);
    process.exit(1);
  });
}
