import type { ChunkBlock } from './scan-blocks';
import type { SearchHit } from './types';

/** Turns the products of each block with the query rows into every query's hits. */
export interface Reducer {
  /** Rows per group whose products it takes as one maximum (see `TokenProducts`); 1 for every product. */
  readonly groupRows: number;
  /** `products`: `[block.rows, queryRows]`, row-major. */
  add(block: ChunkBlock, products: Float32Array): void;
  /** Per query, its best hits; with `explain`, each carries its per-query-token matches. */
  hits(explain: boolean): SearchHit[][];
}
