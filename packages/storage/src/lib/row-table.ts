const LOW_64 = (1n << 64n) - 1n;
const EMPTY = -1;
/** Slots per entry at most: linear probing stays short up to a load of 0.7. */
const SLOTS_PER_ENTRY = 1 / 0.7;

/**
 * Content hash → where that chunk's rows are (first row, row count): open addressing over typed
 * arrays, 28 bytes a slot and no boxing, so 200,000 chunks cost 8 MiB instead of a Map's tens.
 * Hashes are SHA-256 prefixes, uniformly spread, so their low half modulo the capacity picks the
 * slot as is, and the capacity need not be a power of two (a build sizes it to its chunk count).
 * `add` keeps the first entry for a hash; `set` replaces it.
 */
export class RowTable {
  private high: BigUint64Array;
  private low: BigUint64Array;
  private starts: Float64Array;
  private counts: Int32Array;
  private capacity: bigint;
  size = 0;

  constructor(expected = 1024) {
    // One slot more than `expected` entries need, so that adding exactly `expected` never regrows.
    const capacity = Math.ceil((Math.max(16, expected) + 1) * SLOTS_PER_ENTRY);
    this.high = new BigUint64Array(capacity);
    this.low = new BigUint64Array(capacity);
    this.starts = new Float64Array(capacity);
    this.counts = new Int32Array(capacity).fill(EMPTY);
    this.capacity = BigInt(capacity);
  }

  /** The slot holding `hash`, or the empty slot where it would go. */
  private slot(high: bigint, low: bigint): number {
    const slots = this.counts.length;
    let slot = Number(low % this.capacity);
    while (this.counts[slot] !== EMPTY && (this.low[slot] !== low || this.high[slot] !== high))
      slot = slot + 1 === slots ? 0 : slot + 1;
    return slot;
  }

  /** Records where `hash`'s rows are, unless the table already knows; returns whether it did. */
  add(hash: bigint, start: number, count: number): boolean {
    return this.put(hash, start, count, false);
  }

  /** Records where `hash`'s rows are, replacing what the table knew. */
  set(hash: bigint, start: number, count: number): void {
    this.put(hash, start, count, true);
  }

  private put(hash: bigint, start: number, count: number, replace: boolean): boolean {
    if ((this.size + 1) * SLOTS_PER_ENTRY > this.counts.length) this.grow();
    const high = hash >> 64n;
    const low = hash & LOW_64;
    const slot = this.slot(high, low);
    const known = this.counts[slot] !== EMPTY;
    if (known && !replace) return false;
    this.high[slot] = high;
    this.low[slot] = low;
    this.starts[slot] = start;
    this.counts[slot] = count;
    if (!known) this.size++;
    return true;
  }

  /** Where `hash`'s rows are, or undefined. */
  find(hash: bigint): { readonly start: number; readonly count: number } | undefined {
    const slot = this.slot(hash >> 64n, hash & LOW_64);
    const count = this.counts[slot];
    return count === EMPTY ? undefined : { start: this.starts[slot], count };
  }

  private grow(): void {
    const { high, low, starts, counts } = this;
    const capacity = counts.length * 2;
    this.high = new BigUint64Array(capacity);
    this.low = new BigUint64Array(capacity);
    this.starts = new Float64Array(capacity);
    this.counts = new Int32Array(capacity).fill(EMPTY);
    this.capacity = BigInt(capacity);
    this.size = 0;
    for (let slot = 0; slot < counts.length; slot++) {
      if (counts[slot] !== EMPTY) this.add((high[slot] << 64n) | low[slot], starts[slot], counts[slot]);
    }
  }
}
