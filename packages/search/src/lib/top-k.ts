import type { SearchHit } from './types';
import { WorstFirstHeap } from './worst-first-heap';

/** `a` ranks before `b`: higher score, then lower id. */
function before(aScore: number, aId: bigint, bScore: number, bId: bigint): boolean {
  return aScore > bScore || (aScore === bScore && aId < bId);
}

/**
 * The best `k` (score, id) pairs seen so far: a binary heap whose root is the worst kept entry,
 * so a chunk that cannot make the cut costs one comparison.
 */
export class TopK extends WorstFirstHeap {
  private readonly scores: number[] = [];
  private readonly ids: bigint[] = [];

  constructor(readonly k: number) {
    super();
  }

  protected get count(): number {
    return this.scores.length;
  }

  offer(score: number, id: bigint): void {
    const { scores, ids } = this;
    if (scores.length < this.k) {
      scores.push(score);
      ids.push(id);
      this.siftUp(scores.length - 1);
    } else if (before(score, id, scores[0], ids[0])) {
      scores[0] = score;
      ids[0] = id;
      this.siftDown(0);
    }
  }

  /** The kept entries, best first, ranked from 1. */
  hits(): SearchHit[] {
    return this.scores
      .map((score, i) => ({ score, id: this.ids[i] }))
      .sort((a, b) => (before(a.score, a.id, b.score, b.id) ? -1 : 1))
      .map(({ id, score }, i) => ({ id, score, rank: i + 1 }));
  }

  protected worse(i: number, j: number): boolean {
    return before(this.scores[j], this.ids[j], this.scores[i], this.ids[i]);
  }

  protected swap(i: number, j: number): void {
    const { scores, ids } = this;
    [scores[i], scores[j]] = [scores[j], scores[i]];
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
}
