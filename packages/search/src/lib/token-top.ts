import { WorstFirstHeap } from './worst-first-heap';

/**
 * The best `k` document rows for one query row: a binary heap whose root is the worst kept row
 * (lowest product; of equal products, the later row), so a row that cannot make the cut costs one
 * comparison with `threshold`. Rows arrive in ascending order, so an equal product never displaces
 * a kept row: ties go to the earlier row.
 */
export class TokenTop extends WorstFirstHeap {
  readonly scores: Float32Array;
  readonly rows: Float64Array;
  readonly chunks: Int32Array;
  size = 0;
  /** What a row's product must exceed to be kept. */
  threshold = -Infinity;

  constructor(readonly k: number) {
    super();
    this.scores = new Float32Array(k);
    this.rows = new Float64Array(k);
    this.chunks = new Int32Array(k);
  }

  /** Keeps `row` (of chunk position `chunk`) if its `score` beats `threshold`; callers check first. */
  push(score: number, row: number, chunk: number): void {
    if (this.size < this.k) {
      this.set(this.size, score, row, chunk);
      this.siftUp(this.size++);
    } else {
      this.set(0, score, row, chunk);
      this.siftDown(0);
    }
    if (this.size === this.k) this.threshold = this.scores[0];
  }

  /** The lowest kept product: XTR imputes it for a chunk none of whose rows were kept. */
  lowest(): number {
    return this.size === 0 ? 0 : this.scores[0];
  }

  private set(i: number, score: number, row: number, chunk: number): void {
    this.scores[i] = score;
    this.rows[i] = row;
    this.chunks[i] = chunk;
  }

  protected get count(): number {
    return this.size;
  }

  protected worse(i: number, j: number): boolean {
    const { scores, rows } = this;
    return scores[i] < scores[j] || (scores[i] === scores[j] && rows[i] > rows[j]);
  }

  protected swap(i: number, j: number): void {
    const { scores, rows, chunks } = this;
    [scores[i], scores[j]] = [scores[j], scores[i]];
    [rows[i], rows[j]] = [rows[j], rows[i]];
    [chunks[i], chunks[j]] = [chunks[j], chunks[i]];
  }
}
