/**
 * A chunk's 64-bit content hash as the manifest records it: 16 lowercase hex digits. The one
 * place that spells the format: the writer records hashes with it and verify compares with it.
 */
export function formatContentHash(hash: bigint): string {
  return hash.toString(16).padStart(16, '0');
}
