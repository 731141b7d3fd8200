/**
 * Throughput of `verifyIndex` on a float16 index of ≥ 1 GB held in the page cache, beside a
 * baseline: one thread reading the same token file in 16 MiB blocks and hashing it with SHA-256,
 * the part of verify that cannot be split (one SHA-256 stream) done alone on one core. Runs are
 * interleaved (rounds.ts) so both see the same cache and machine load. Prints JSON: median, min
 * and max GB/s (10^9 bytes) of each and of their per-round ratio, and every run's seconds.
 *
 *   tsx --conditions=@xtr-nx/source tools/bench/verify-throughput.ts [--gb 1.1] [--runs 5]
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { float32ToFloat16, IndexWriter, verifyIndex } from '@xtr-nx/storage';
import { syntheticManifest } from './bench-support';
import { interleaved, pairedRatio, type RunLoad, spread } from './rounds';

const DIM = 128;
const TOKENS_PER_CHUNK = 128;
/** Rows per append: 8 MiB of float16, reused for every batch. */
const BATCH_ROWS = 32_768;
const BLOCK_BYTES = 16 << 20;

export interface Rate {
  readonly medianGBps: number;
  readonly minGBps: number;
  readonly maxGBps: number;
  /** Wall time of each run. */
  readonly seconds: readonly number[];
  /** CPU time of each run, all threads of this process: steadier than wall time on a shared machine. */
  readonly cpuSeconds: readonly number[];
}

interface Timing {
  readonly seconds: number;
  readonly cpuSeconds: number;
}

export interface VerifyThroughput {
  readonly tokensFile: string;
  readonly bytes: number;
  readonly dim: number;
  readonly chunks: number;
  readonly runs: number;
  readonly verify: Rate;
  /** The baseline: one thread, sequential 16 MiB reads of the token file + SHA-256 of them. */
  readonly readSha256OneThread: Rate;
  /** Verify's rate ÷ the baseline's, per round. */
  readonly verifyVsBaseline: { readonly median: number; readonly min: number; readonly max: number };
  readonly load: readonly RunLoad[];
}

/**
 * Random unit rows (drawn in float32, normalised, stored as float16): values spread like an
 * encoder's, so verify's per-value lookups touch a realistic part of their table.
 */
function unitRows(rows: number, seed: number): Uint16Array {
  const values = new Float32Array(rows * DIM);
  let state = seed >>> 0;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let k = 0; k < DIM; k++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const v = state / 2 ** 31 - 1;
      values[r * DIM + k] = v;
      sum += v * v;
    }
    const scale = 1 / Math.sqrt(sum);
    for (let k = 0; k < DIM; k++) values[r * DIM + k] *= scale;
  }
  return float32ToFloat16(values);
}

/** Writes an index of at least `bytes` of float16 rows; returns its chunk count and file size. */
async function writeIndex(outDir: string, bytes: number): Promise<{ chunks: number; bytes: number }> {
  const rowsPerBatch = BATCH_ROWS;
  const chunksPerBatch = rowsPerBatch / TOKENS_PER_CHUNK;
  const batches = Math.ceil(bytes / (rowsPerBatch * DIM * 2));
  const vectors = unitRows(rowsPerBatch, 7);
  const lengths = new Int32Array(chunksPerBatch).fill(TOKENS_PER_CHUNK);
  const writer = await IndexWriter.create({ outDir, dim: DIM, dtype: 'float16' });
  for (let b = 0; b < batches; b++) {
    const ids = BigInt64Array.from({ length: chunksPerBatch }, (_, i) => BigInt(b * chunksPerBatch + i + 1));
    await writer.append(
      ids,
      lengths,
      vectors,
      Array.from(ids, (id) => id * 2654435761n),
    );
  }
  const written = await writer.commit(syntheticManifest('verify-throughput'));
  return { chunks: written.docCount, bytes: batches * rowsPerBatch * DIM * 2 };
}

/** The baseline: read the whole file in order on this thread and hash it. */
async function readAndHash(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const block = new Uint8Array(BLOCK_BYTES);
    const hash = createHash('sha256');
    for (;;) {
      const { bytesRead } = await handle.read(block, 0, block.length, null);
      if (bytesRead === 0) break;
      hash.update(block.subarray(0, bytesRead));
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

async function timed(run: () => Promise<unknown>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await run();
  const { user, system } = process.cpuUsage(cpu);
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, cpuSeconds: (user + system) / 1e6 };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function rate(bytes: number, timings: readonly Timing[]): Rate {
  const gbps = spread(timings.map((t) => bytes / 1e9 / t.seconds));
  return {
    medianGBps: round(gbps.median),
    minGBps: round(gbps.min),
    maxGBps: round(gbps.max),
    seconds: timings.map((t) => round(t.seconds)),
    cpuSeconds: timings.map((t) => round(t.cpuSeconds)),
  };
}

export interface VerifyBenchOptions {
  /** Size of the token file in GB (10^9 bytes); at least 1 for a meaningful number. */
  readonly gb?: number;
  readonly runs?: number;
  /** Progress and the summary line (e.g. console.log); silent by default. */
  readonly log?: (line: string) => void;
}

/** Builds the index in a temporary folder, times verify and the baseline alternately, removes it. */
export async function measureVerify(options: VerifyBenchOptions = {}): Promise<VerifyThroughput> {
  const { gb = 1.1, runs = 5, log = () => undefined } = options;
  const tmp = mkdtempSync(join(tmpdir(), 'xtr-bench-verify-'));
  try {
    const dir = join(tmp, 'index');
    log(`verify bench: writing a ${gb} GB float16 index (dim ${DIM}) in ${tmp}`);
    const { chunks, bytes } = await writeIndex(dir, gb * 1e9);
    const tokens = join(dir, 'tokens.f16');
    await readAndHash(tokens); // warm the page cache: the bench measures verify, not the disk
    const { samples, load } = await interleaved(runs, {
      baseline: () => timed(() => readAndHash(tokens)),
      verify: () =>
        timed(async () => {
          const report = await verifyIndex(dir);
          if (!report.ok)
            throw new Error(`verify bench: the synthetic index fails verify: ${report.problems.join(' ')}`);
        }),
    });
    const seconds = (timings: readonly Timing[]) => timings.map((t) => t.seconds);
    // Equal bytes, so the ratio of rates is the inverse ratio of times.
    const ratio = pairedRatio(seconds(samples.baseline), seconds(samples.verify));
    const result = {
      tokensFile: 'tokens.f16',
      bytes,
      dim: DIM,
      chunks,
      runs,
      verify: rate(bytes, samples.verify),
      readSha256OneThread: rate(bytes, samples.baseline),
      verifyVsBaseline: { median: round(ratio.median), min: round(ratio.min), max: round(ratio.max) },
      load,
    };
    const shown = (r: Rate) => `${r.medianGBps} GB/s (${r.minGBps}–${r.maxGBps})`;
    const size = `${(bytes / 1e9).toFixed(2)} GB, ${runs} runs`;
    const vs = result.verifyVsBaseline;
    log(
      `verify ${shown(result.verify)}; read + SHA-256 on one thread ${shown(result.readSha256OneThread)}; ` +
        `ratio ${vs.median} (${vs.min}–${vs.max}); ${size}`,
    );
    return result;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  const options = { gb: { type: 'string', default: '1.1' }, runs: { type: 'string', default: '5' } } as const;
  const { values } = parseArgs({ options });
  // Progress on stderr, so stdout is the JSON alone.
  const log = (line: string) => console.error(line);
  const result = await measureVerify({ gb: Number(values.gb), runs: Number(values.runs), log });
  console.log(JSON.stringify(result, null, 2));
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.stack);
    process.exit(1);
  });
}
