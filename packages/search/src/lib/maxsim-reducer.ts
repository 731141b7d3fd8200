import type { IndexReader } from '@xtr-nx/storage';
import { explainMaxSim } from './explain-maxsim';
import type { StackedQueries } from './queries';
import type { Reducer } from './reducer';
import type { ChunkBlock } from './scan-blocks';
import { TopK } from './top-k';
import type { SearchHit } from './types';

/**
 * Rows per group the products are maximised over before they reach JavaScript (chunks padded to
 * whole groups): 16 took a 512-row batch's products from 60 to 130 GFLOP/s on two cores, while
 * padding a chunk by 7.5 rows on average.
 */
const GROUP_ROWS = 16;

/**
 * MaxSim from a block's products: per chunk, the best product per query row, summed per query.
 * The products arrive as maxima over groups of `GROUP_ROWS` rows. A chunk without rows has no
 * best match and is never a hit.
 */
export class MaxSimReducer implements Reducer {
  readonly groupRows = GROUP_ROWS;
  private readonly tops: TopK[];
  private readonly best: Float32Array;

  constructor(
    private readonly reader: IndexReader,
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
      const from = (block.starts[c] / GROUP_ROWS) * width;
      const to = (block.starts[c + 1] / GROUP_ROWS) * width;
      if (from === to) continue;
      best.set(products.subarray(from, from + width));
      for (let at = from + width; at < to; at += width) {
        for (let t = 0; t < width; t++) {
          const value = products[at + t];
          if (value > best[t]) best[t] = value;
        }
      }
      const id = this.reader.meta.chunk_ids[block.chunks[c]];
      for (let q = 0; q < tops.length; q++) {
        let score = 0;
        for (let t = starts[q]; t < starts[q + 1]; t++) score += best[t];
        tops[q].offer(score, id);
      }
    }
  }

  hits(explain: boolean): SearchHit[][] {
    const hits = this.tops.map((top) => top.hits());
    return explain ? explainMaxSim(this.reader, this.queries, hits) : hits;
  }
}
