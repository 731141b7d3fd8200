import { createHash } from 'node:crypto';

/**
 * 128-bit content hash of one chunk's text: the first 16 bytes of its SHA-256, as a bigint. Wide
 * enough to key reused vectors by text alone (a collision would publish another chunk's vectors).
 */
export function contentHash(text: string): bigint {
  const digest = createHash('sha256').update(text).digest();
  return (digest.readBigUInt64BE(0) << 64n) | digest.readBigUInt64BE(8);
}

const MASK_128 = (1n << 128n) - 1n;

/**
 * Digest of a catalog's chunks — the multiset of `(id, content)` — and nothing else: rewriting
 * the DuckDB file (CHECKPOINT, export/import, rows in another physical order) keeps it; changing,
 * adding or removing any chunk changes it. Each row's SHA-256 is summed modulo 2^128, so the
 * digest does not depend on the order rows stream in.
 */
export class CatalogFingerprint {
  private sum = 0n;
  private count = 0;

  update(ids: BigInt64Array, hashes: readonly bigint[]): void {
    for (let i = 0; i < ids.length; i++) {
      const row = createHash('sha256').update(`${ids[i]}:${hashes[i]}`).digest();
      this.sum = (this.sum + ((row.readBigUInt64BE(0) << 64n) | row.readBigUInt64BE(8))) & MASK_128;
    }
    this.count += ids.length;
  }

  digest(): string {
    return createHash('sha256')
      .update(`xtr-catalog-v1:${this.count}:${this.sum.toString(16)}`)
      .digest('hex');
  }
}
