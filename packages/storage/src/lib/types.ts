export type Dtype = 'float16' | 'float32';

/** `index.meta.json`: the contract with the existing Python reader. Exactly these keys. */
export interface IndexMeta {
  dim: number;
  dtype: Dtype;
  total_tokens: number;
  doc_count: number;
  chunk_ids: readonly bigint[];
  offsets: readonly number[];
  lengths: readonly number[];
}

/** `xtr.manifest.json`: what this tool knows about an index beyond the Python contract. */
export interface IndexManifest {
  formatVersion: typeof FORMAT_VERSION;
  tool: { name: string; version: string };
  /** `normalized`: every row was L2-normalised, so verify checks unit norms. */
  encoder: { model: string; fingerprint: string; normalized: boolean };
  /** `fingerprint` digests the catalog's `(id, content)` rows; see @xtr-nx/catalog. */
  catalog: { path: string; table: string; nullIdsSkipped: number; fingerprint: string };
  dim: number;
  dtype: Dtype;
  docCount: number;
  totalTokens: number;
  tokensFile: string;
  tokensSha256: string;
  /** Per chunk, aligned with `chunk_ids`: 128-bit hash of its text (32 hex digits), the key of reused vectors. */
  contentHashes: string[];
}

/** Format 2: 128-bit content hashes (format 1 had 64-bit ones, too short to key reused vectors). */
export const FORMAT_VERSION = 2;

export const META_FILE = 'index.meta.json';
export const MANIFEST_FILE = 'xtr.manifest.json';
export const TOKENS_FILE: Record<Dtype, string> = { float16: 'tokens.f16', float32: 'tokens.f32' };
export const ITEM_SIZE: Record<Dtype, number> = { float16: 2, float32: 4 };

export class StorageError extends Error {
  override readonly name = 'StorageError';
}
