import type { IndexMeta } from '@xtr-nx/storage';
import type { ChunkBlock } from './scan-blocks';
import type { StackedQueries } from './queries';
import { TopK } from './top-k';
import type { SearchHit } from './types';

/**
 * MaxSim from a block's products: per chunk, the best product per query row, summed per query.
 * A chunk without rows has no best match and is never a hit.
 */
export class MaxSimReducer {
  private readonly tops: TopK[];
  private readonly best: Float32Array;

  constructor(
    private readonly meta: IndexMeta,
    private readonly queries: StackedQueries,
    k: number,
  ) {
    this.tops = Array.from({ length: queries.count }, () => new TopK(k));
    this.best = new Float32Array(queries.rows);
  }

  add(block: ChunkBlock, products: Float32Array): void {
    const { best, tops } = this;
    const { starts } = this.queries;
    const width = this.queries.rows;
    for (let c = 0; c < block.chunks.length; c++) {
      const from = block.starts[c] * width;
      const to = block.starts[c + 1] * width;
      if (from === to) continue;
      best.set(products.subarray(from, from + width));
      for (let at = from + width; at < to; at += width) {
        for (let t = 0; t < width; t++) {
          const value = products[at + t];
          if (value > best[t]) best[t] = value;
        }
      }
      const id = this.meta.chunk_ids[block.chunks[c]];
      for (let q = 0; q < tops.length; q++) {
        let score = 0;
        for (let t = starts[q]; t < starts[q + 1]; t++) score += best[t];
        tops[q].offer(score, id);
      }
    }
  }

  hits(): SearchHit[][] {
    return this.tops.map((top) => top.hits());
  }
}
