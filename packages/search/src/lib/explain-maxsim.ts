import type { IndexReader } from '@xtr-nx/storage';
import type { StackedQueries } from './queries';
import type { SearchHit, TokenMatch } from './types';

/**
 * The Python reader's explain payload for MaxSim hits: per query row, the chunk row with the
 * highest product (the first of equals) and that product. Only the hits' rows are read again.
 */
export function explainMaxSim(
  reader: IndexReader,
  queries: StackedQueries,
  hits: readonly SearchHit[][],
): SearchHit[][] {
  const { dim } = reader.meta;
  return hits.map((queryHits, q) =>
    queryHits.map((hit) => {
      const doc = reader.chunkRows(hit.id) as Float32Array;
      const matches: TokenMatch[] = [];
      for (let t = queries.starts[q]; t < queries.starts[q + 1]; t++) {
        let best = -Infinity;
        let bestRow = 0;
        for (let row = 0; row * dim < doc.length; row++) {
          let dot = 0;
          for (let d = 0; d < dim; d++) dot += queries.matrix[t * dim + d] * doc[row * dim + d];
          if (dot > best) {
            best = dot;
            bestRow = row;
          }
        }
        matches.push({ q_index: t - queries.starts[q], doc_index: bestRow, similarity: best });
      }
      return { ...hit, matches };
    }),
  );
}
