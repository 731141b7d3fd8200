import { SearchError } from './types';

/** Every query's rows in one `[rows, dim]` matrix; query `q` owns rows `starts[q]..starts[q + 1]`. */
export interface StackedQueries {
  readonly matrix: Float32Array;
  readonly starts: Int32Array;
  readonly count: number;
  readonly rows: number;
}

/**
 * Checks each query is a non-empty whole number of `dim`-wide rows, keeps the first
 * `maxQueryTokens` rows of each, and stacks them, every row L2-normalised (an all-zero row
 * stays zero).
 */
export function stackQueries(queries: readonly Float32Array[], dim: number, maxQueryTokens: number): StackedQueries {
  const starts = new Int32Array(queries.length + 1);
  queries.forEach((query, q) => {
    if (!(query instanceof Float32Array))
      throw new SearchError(`Query ${q} is not a Float32Array of [tokens, dim] rows.`);
    if (query.length === 0) throw new SearchError(`Query ${q} has no rows: encode at least one token.`);
    if (query.length % dim !== 0)
      throw new SearchError(
        `Query ${q} has ${query.length} values, not a whole number of rows of the index's width ${dim}.`,
      );
    starts[q + 1] = starts[q] + Math.min(query.length / dim, maxQueryTokens);
  });
  const rows = starts[queries.length];
  const matrix = new Float32Array(rows * dim);
  queries.forEach((query, q) => matrix.set(query.subarray(0, (starts[q + 1] - starts[q]) * dim), starts[q] * dim));
  for (let at = 0; at < matrix.length; at += dim) {
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += matrix[at + d] * matrix[at + d];
    if (sum === 0) continue;
    const scale = 1 / Math.sqrt(sum);
    for (let d = 0; d < dim; d++) matrix[at + d] *= scale;
  }
  return { matrix, starts, count: queries.length, rows };
}
