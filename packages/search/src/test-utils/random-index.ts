import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IndexWriter } from '@xtr-nx/storage';

export const DIM = 16;
const MANIFEST = {
  tool: { name: '@xtr-nx/search', version: 'test' },
  encoder: { model: 'test', fingerprint: 'f', normalized: false },
  catalog: { path: 'c.duckdb', table: 'chunks', nullIdsSkipped: 0, fingerprint: 'c' },
};

/** Deterministic values in [-1, 1). */
export function seeded(count: number, seed: number): Float32Array {
  let state = seed >>> 0;
  return new Float32Array(count).map(
    () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1,
  );
}

export async function writeIndex(
  outDir: string,
  dtype: 'float16' | 'float32',
  ids: bigint[],
  lengths: number[],
  vectors: Float32Array,
): Promise<void> {
  const writer = await IndexWriter.create({ outDir, dim: DIM, dtype });
  await writer.append(
    BigInt64Array.from(ids),
    Int32Array.from(lengths),
    vectors,
    ids.map((id) => id + 1n),
  );
  await writer.commit(MANIFEST);
}

/** 150 chunks of 1..12 random rows in `root`/index, ids spread out and one past 2^53. */
export async function randomIndex(root: string, dtype: 'float16' | 'float32') {
  const dir = join(root, 'index');
  const lengths = Array.from({ length: 150 }, (_, i) => 1 + ((i * 7 + 3) % 12));
  const ids = lengths.map((_, i) => BigInt(i) * 1000n + 7n);
  ids[ids.length - 1] = 9007199254740993n;
  const rows = lengths.reduce((a, b) => a + b, 0);
  await writeIndex(dir, dtype, ids, lengths, seeded(rows * DIM, 42));
  return { dir, ids };
}

/** 24 queries of 1..8 rows, not normalised (the scorer normalises), also stacked in `root`/queries.f32. */
export function randomQueries(root: string) {
  const rowsPerQuery = Array.from({ length: 24 }, (_, q) => 1 + ((q * 5) % 8));
  const queries = rowsPerQuery.map((rows, q) => seeded(rows * DIM, 1000 + q).map((v) => v * (1 + q)));
  const file = join(root, 'queries.f32');
  const stacked = new Float32Array(rowsPerQuery.reduce((a, b) => a + b, 0) * DIM);
  let at = 0;
  for (const query of queries) {
    stacked.set(query, at);
    at += query.length;
  }
  writeFileSync(file, stacked);
  return { queries, rowsPerQuery, file };
}
