/**
 * Checks each query is a non-empty whole number of `dim`-wide rows and returns them stacked into
 * one `[totalRows, dim]` matrix, every row L2-normalised (an all-zero row stays zero), with where
 * each query's rows start (`starts[q]..starts[q + 1]`).
 */
export function stackQueries(
  queries: readonly Float32Array[],
  dim: number,
): { rows: Float32Array; starts: Int32Array } {
  const starts = new Int32Array(queries.length + 1);
  queries.forEach((query, q) => {
    if (!(query instanceof Float32Array)) throw new Error(`Query ${q} is not a Float32Array of [tokens, dim] rows.`);
    if (query.length === 0) throw new Error(`Query ${q} has no rows: encode at least one token.`);
    if (query.length % dim !== 0)
      throw new Error(`Query ${q} has ${query.length} values, not a whole number of rows of the index's width ${dim}.`);
    starts[q + 1] = starts[q] + query.length / dim;
  });
  const rows = new Float32Array(starts[queries.length] * dim);
  queries.forEach((query, q) => rows.set(query, starts[q] * dim));
  for (let at = 0; at < rows.length; at += dim) {
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += rows[at + d] * rows[at + d];
    if (sum === 0) continue;
    const scale = 1 / Math.sqrt(sum);
    for (let d = 0; d < dim; d++) rows[at + d] *= scale;
  }
  return { rows, starts };
}
