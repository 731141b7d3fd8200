import type { EncodedBatch } from '../lib/types';

/** The `[lengths[text], dim]` rows of one text in a batch, row-major. */
export function textVectors(batch: EncodedBatch, dim: number, text: number): Float32Array | Uint16Array {
  const start = batch.lengths.slice(0, text).reduce((a, b) => a + b, 0);
  return batch.vectors.subarray(start * dim, (start + batch.lengths[text]) * dim);
}

/** The largest absolute difference between two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
