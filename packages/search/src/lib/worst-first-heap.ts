/**
 * A binary heap whose root is its worst entry, so the entry to evict when a better one comes is
 * always at hand. Subclasses keep the entries (in parallel arrays) and say what "worse" means.
 */
export abstract class WorstFirstHeap {
  protected abstract get count(): number;
  /** Entry `i` is worse than entry `j` (belongs nearer the root). */
  protected abstract worse(i: number, j: number): boolean;
  protected abstract swap(i: number, j: number): void;

  protected siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  protected siftDown(i: number): void {
    const n = this.count;
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
