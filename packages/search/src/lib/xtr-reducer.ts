import type { IndexMeta } from '@xtr-nx/storage';
import type { StackedQueries } from './queries';
import type { Reducer } from './reducer';
import type { ChunkBlock } from './scan-blocks';
import { TokenTop } from './token-top';
import { TopK } from './top-k';
import type { SearchHit, TokenMatch } from './types';

/** A candidate chunk's best retrieved row per query row (`-1`: none retrieved). */
interface Candidate {
  readonly best: Float64Array;
  readonly rows: Float64Array;
}

/**
 * XTR token retrieval (Lee et al., 2023): per query row the `tokenK` best document rows over
 * every scanned row. A chunk is a candidate when any of its rows was retrieved; its similarity
 * for a query row is its best retrieved row, or — none retrieved — that query row's lowest
 * retrieved product (the imputation bounding what the chunk could have scored); its score is the
 * mean over the query's rows.
 */
export class XtrReducer implements Reducer {
  readonly groupRows = 1;
  private readonly tops: TokenTop[];

  constructor(
    private readonly meta: IndexMeta,
    private readonly queries: StackedQueries,
    private readonly k: number,
    tokenK: number,
  ) {
    this.tops = Array.from({ length: queries.rows }, () => new TokenTop(tokenK));
  }

  add(block: ChunkBlock, products: Float32Array): void {
    const { tops } = this;
    const width = this.queries.rows;
    for (let c = 0; c < block.chunks.length; c++) {
      const chunk = block.chunks[c];
      const firstRow = this.meta.offsets[chunk] - block.starts[c];
      for (let r = block.starts[c]; r < block.starts[c + 1]; r++) {
        const at = r * width;
        for (let t = 0; t < width; t++) {
          const value = products[at + t];
          if (value > tops[t].threshold) tops[t].push(value, firstRow + r, chunk);
        }
      }
    }
  }

  hits(explain: boolean): SearchHit[][] {
    const { starts } = this.queries;
    return Array.from({ length: this.queries.count }, (_, q) => this.queryHits(starts[q], starts[q + 1], explain));
  }

  private queryHits(from: number, to: number, explain: boolean): SearchHit[] {
    const width = to - from;
    const candidates = new Map<number, Candidate>();
    for (let t = from; t < to; t++) {
      const top = this.tops[t];
      for (let i = 0; i < top.size; i++) {
        let candidate = candidates.get(top.chunks[i]);
        if (!candidate) {
          candidate = { best: new Float64Array(width).fill(-Infinity), rows: new Float64Array(width).fill(-1) };
          candidates.set(top.chunks[i], candidate);
        }
        const score = top.scores[i];
        const row = top.rows[i];
        const slot = t - from;
        if (score > candidate.best[slot] || (score === candidate.best[slot] && row < candidate.rows[slot])) {
          candidate.best[slot] = score;
          candidate.rows[slot] = row;
        }
      }
    }
    const imputed = this.tops.slice(from, to).map((top) => top.lowest());
    const ranked = new TopK(this.k);
    for (const [chunk, candidate] of candidates) {
      let sum = 0;
      for (let slot = 0; slot < width; slot++) sum += candidate.rows[slot] < 0 ? imputed[slot] : candidate.best[slot];
      ranked.offer(sum / width, this.meta.chunk_ids[chunk]);
    }
    const hits = ranked.hits();
    if (!explain) return hits;
    const positions = new Map([...candidates.keys()].map((chunk) => [this.meta.chunk_ids[chunk], chunk]));
    return hits.map((hit) => {
      const chunk = positions.get(hit.id) as number;
      const { best, rows } = candidates.get(chunk) as Candidate;
      const matches: TokenMatch[] = Array.from({ length: width }, (_, slot) =>
        rows[slot] < 0
          ? { q_index: slot, doc_index: null, similarity: imputed[slot] }
          : { q_index: slot, doc_index: rows[slot] - this.meta.offsets[chunk], similarity: best[slot] },
      );
      return { ...hit, matches };
    });
  }
}
