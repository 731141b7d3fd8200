/**
 * Checks every row is finite and, when `normalize`, scales it to unit L2 norm, in place. One pass
 * for the sum of squares (NaN and ±Infinity propagate into it) and one to scale. Returns the
 * index of the first non-finite row, or -1.
 */
export function finishRows(vectors: Float32Array, width: number, normalize: boolean): number {
  for (let start = 0, row = 0; start < vectors.length; start += width, row++) {
    let sum = 0;
    for (let i = start; i < start + width; i++) sum += vectors[i] * vectors[i];
    if (!Number.isFinite(sum)) return row;
    if (!normalize) continue;
    const scale = 1 / Math.max(Math.sqrt(sum), 1e-12);
    for (let i = start; i < start + width; i++) vectors[i] *= scale;
  }
  return -1;
}
