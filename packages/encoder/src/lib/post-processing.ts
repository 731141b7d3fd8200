/** Index of the first row holding NaN or ±Infinity, or -1. */
export function firstNonFiniteRow(vectors: Float32Array, width: number): number {
  for (let i = 0; i < vectors.length; i++) {
    if (!Number.isFinite(vectors[i])) return Math.floor(i / width);
  }
  return -1;
}

/** L2-normalises every row in place (a zero row stays zero). */
export function normalizeRows(vectors: Float32Array, width: number): void {
  for (let start = 0; start < vectors.length; start += width) {
    let sum = 0;
    for (let i = start; i < start + width; i++) sum += vectors[i] * vectors[i];
    const scale = 1 / Math.max(Math.sqrt(sum), 1e-12);
    for (let i = start; i < start + width; i++) vectors[i] *= scale;
  }
}
