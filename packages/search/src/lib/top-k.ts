/** One scored chunk in a query's results; `rank` counts from 1. */
export interface SearchHit {
  readonly id: bigint;
  readonly score: number;
  readonly rank: number;
}

/** `a` ranks before `b`: higher score, then lower id. */
function before(aScore: number, aId: bigint, bScore: number, bId: bigint): boolean {
  return aScore > bScore || (aScore === bScore && aId < bId);
}

/**
 * The best `k` (score, id) pairs seen so far: a binary heap whose root is the worst kept entry,
 * so a chunk that cannot make the cut costs one comparison.
 */
export class TopK {
  private readonly scores: number[] = [];
  private readonly ids: bigint[] = [];

  constructor(readonly k: number) {}

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

  /** Entry `i` is worse than entry `j` (belongs nearer the root). */
  private worse(i: number, j: number): boolean {
    return before(this.scores[j], this.ids[j], this.scores[i], this.ids[i]);
  }

  private swap(i: number, j: number): void {
    const { scores, ids } = this;
    [scores[i], scores[j]] = [scores[j], scores[i]];
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.scores.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < n && this.worse(left, worst)) worst = left;
      if (right < n && this.worse(right, worst)) worst = right;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }
}
