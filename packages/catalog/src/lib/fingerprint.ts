import { createHash, type Hash } from 'node:crypto';

/** 64-bit content hash of one chunk's text (hex of the first 8 bytes of its SHA-256). */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Digest of a catalog's chunks — `(id, content hash)` in ascending id order — and nothing else:
 * rewriting the DuckDB file (CHECKPOINT, export/import, another table layout) keeps it, changing
 * any chunk's text or id changes it.
 */
export class CatalogFingerprint {
  private readonly hash: Hash = createHash('sha256');

  update(ids: BigInt64Array, hashes: readonly string[]): void {
    let text = '';
    for (let i = 0; i < ids.length; i++) text += `${ids[i]}:${hashes[i]}\n`;
    this.hash.update(text);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
