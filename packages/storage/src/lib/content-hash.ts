import { GrowableColumn } from './growable';

/** Hex digits of a chunk's content hash (128 bits) as the manifest records it. */
export const CONTENT_HASH_DIGITS = 32;

/**
 * A chunk's content hash as the manifest records it: 32 lowercase hex digits. The one place that
 * spells the format: the writer records hashes with it, verify and reuse compare with it.
 */
export function formatContentHash(hash: bigint): string {
  return hash.toString(16).padStart(CONTENT_HASH_DIGITS, '0');
}

const LOW_64 = (1n << 64n) - 1n;

/** Content hashes in two 64-bit halves: 16 bytes per chunk, no boxing (the writer keeps one per chunk). */
export class ContentHashColumn {
  private readonly high = new GrowableColumn((n) => new BigUint64Array(n));
  private readonly low = new GrowableColumn((n) => new BigUint64Array(n));

  push(hash: bigint): void {
    this.high.push(hash >> 64n);
    this.low.push(hash & LOW_64);
  }

  /** The hashes in `order` (positions in arrival order), as the manifest lists them. */
  ordered(order: Uint32Array): ContentHashes {
    const high = this.high.values();
    const low = this.low.values();
    return {
      length: order.length,
      at: (i) => (high[order[i]] << 64n) | low[order[i]],
    };
  }
}

/** A read-only list of content hashes. */
export interface ContentHashes {
  readonly length: number;
  at(index: number): bigint;
}
