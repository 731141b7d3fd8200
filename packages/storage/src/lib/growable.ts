type Column = BigInt64Array | BigUint64Array | Int32Array;

/** An append-only numeric column that doubles its backing store: O(1) amortised, no boxing. */
export class GrowableColumn<T extends Column> {
  private data: T;
  length = 0;

  constructor(private readonly make: (capacity: number) => T) {
    this.data = make(1024);
  }

  push(value: T[number]): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data as never);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  values(): T {
    return this.data.subarray(0, this.length) as T;
  }
}
