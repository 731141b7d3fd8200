/**
 * Throughput of the shard merge (`mergeIndexes`, what a sharded `xtr-index` runs) on ≥ 1 GB of
 * float16 rows in 8 shards held in the page cache, beside a baseline that does the unavoidable
 * part on one thread: read every shard's token file in order, SHA-256 it (the merge proves each
 * shard against its manifest), write the bytes to one file and SHA-256 that (the merged
 * manifest's checksum). Runs are interleaved (rounds.ts). Prints JSON: GB/s and tokens/s of
 * both, their per-round ratio, and every run's seconds.
 *
 *   tsx --conditions=@xtr-nx/source tools/bench/merge-throughput.ts [--gb 1.1] [--runs 5] [--shards 8]
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { IndexWriter, mergeIndexes } from '@xtr-nx/storage';
import { syntheticManifest } from './bench-support';
import { interleaved, pairedRatio, type RunLoad, spread, type Spread } from './rounds';

const DIM = 128;
const ROW_BYTES = DIM * 2;
const BLOCK_BYTES = 16 << 20;
/** Chunks of 40 to 255 tokens, the spread of code chunks cut at maxLength 256. */
const lengthOf = (id: number) => 40 + (((id * 2654435761) >>> 0) % 216);

const MANIFEST = syntheticManifest('merge-throughput');

export interface MergeThroughput {
  readonly shards: number;
  readonly chunks: number;
  readonly tokens: number;
  readonly bytes: number;
  readonly runs: number;
  readonly merge: { readonly gbps: Spread; readonly tokensPerSecond: Spread; readonly seconds: readonly number[] };
  /** One thread: read + SHA-256 every shard, write one file + SHA-256 it. */
  readonly copyAndHashOneThread: { readonly gbps: Spread; readonly seconds: readonly number[] };
  /** The merge's rate ÷ the baseline's, per round. */
  readonly mergeVsBaseline: Spread;
  readonly load: readonly RunLoad[];
}

/** Shard `s` of `count` holds the ids ≡ s (mod count): every merged batch draws from every shard. */
async function writeShards(dir: string, count: number, bytes: number): Promise<{ chunks: number; tokens: number }> {
  const rows = new Uint16Array(256 * DIM).fill(0x2c00); // 1/16 in float16: the merge never looks at values
  const writers = await Promise.all(
    Array.from({ length: count }, (_, s) =>
      IndexWriter.create({ outDir: join(dir, `shard-${s}`), dim: DIM, dtype: 'float16' }),
    ),
  );
  let tokens = 0;
  let id = 0;
  while (tokens * ROW_BYTES < bytes) {
    id++;
    const length = lengthOf(id);
    await writers[id % count].append(
      BigInt64Array.of(BigInt(id)),
      Int32Array.of(length),
      rows.subarray(0, length * DIM),
      [BigInt(id) * 0x9e3779b97f4a7c15n],
    );
    tokens += length;
  }
  for (const writer of writers) await writer.commit(MANIFEST);
  return { chunks: id, tokens };
}

async function copyAndHash(shardFiles: readonly string[], target: string): Promise<void> {
  const out = await open(target, 'w');
  const block = new Uint8Array(BLOCK_BYTES);
  const merged = createHash('sha256');
  try {
    for (const file of shardFiles) {
      const input = await open(file, 'r');
      const own = createHash('sha256');
      try {
        for (;;) {
          const { bytesRead } = await input.read(block, 0, block.length, null);
          if (bytesRead === 0) break;
          const bytes = block.subarray(0, bytesRead);
          own.update(bytes);
          merged.update(bytes);
          await out.write(bytes);
        }
      } finally {
        await input.close();
      }
      own.digest();
    }
    merged.digest();
  } finally {
    await out.close();
  }
}

async function seconds(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const round = (s: Spread): Spread => ({
  median: round3(s.median),
  min: round3(s.min),
  max: round3(s.max),
  runs: s.runs.map(round3),
});

export async function measureMerge(
  options: { gb?: number; runs?: number; shards?: number; log?: (line: string) => void } = {},
): Promise<MergeThroughput> {
  const { gb = 1.1, runs = 5, shards = 8, log = () => undefined } = options;
  const tmp = mkdtempSync(join(tmpdir(), 'xtr-bench-merge-'));
  try {
    log(`merge bench: writing ${shards} float16 shards of ${gb} GB in all (dim ${DIM}) in ${tmp}`);
    const { chunks, tokens } = await writeShards(tmp, shards, gb * 1e9);
    const bytes = tokens * ROW_BYTES;
    const dirs = Array.from({ length: shards }, (_, s) => join(tmp, `shard-${s}`));
    const files = dirs.map((dir) => join(dir, 'tokens.f16'));
    const fresh = (name: string) => {
      rmSync(join(tmp, name), { recursive: true, force: true });
      return join(tmp, name);
    };
    await copyAndHash(files, fresh('baseline.f16')); // warm the page cache
    const { samples, load } = await interleaved(runs, {
      baseline: () => seconds(() => copyAndHash(files, fresh('baseline.f16'))),
      merge: () => seconds(() => mergeIndexes(dirs, () => MANIFEST, { outDir: fresh('merged') })),
    });
    const ratio = round(pairedRatio(samples.baseline, samples.merge));
    const gbps = (times: number[]) => round(spread(times.map((t) => bytes / 1e9 / t)));
    const result: MergeThroughput = {
      shards,
      chunks,
      tokens,
      bytes,
      runs,
      merge: {
        gbps: gbps(samples.merge),
        tokensPerSecond: round(spread(samples.merge.map((t) => tokens / t))),
        seconds: samples.merge,
      },
      copyAndHashOneThread: { gbps: gbps(samples.baseline), seconds: samples.baseline },
      mergeVsBaseline: ratio,
      load,
    };
    log(
      `merge ${result.merge.gbps.median} GB/s (${result.merge.gbps.min}–${result.merge.gbps.max}), ` +
        `${Math.round(result.merge.tokensPerSecond.median)} tokens/s; copy + SHA-256 on one thread ` +
        `${result.copyAndHashOneThread.gbps.median} GB/s; ratio ${ratio.median} (${ratio.min}–${ratio.max})`,
    );
    return result;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  const options = {
    gb: { type: 'string', default: '1.1' },
    runs: { type: 'string', default: '5' },
    shards: { type: 'string', default: '8' },
  } as const;
  const { values } = parseArgs({ options });
  const log = (line: string) => console.error(line);
  const result = await measureMerge({
    gb: Number(values.gb),
    runs: Number(values.runs),
    shards: Number(values.shards),
    log,
  });
  console.log(JSON.stringify(result, null, 2));
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.stack);
    process.exit(1);
  });
}
