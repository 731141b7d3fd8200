export type { Dtype, IndexManifest, IndexMeta } from './lib/types';
export { ITEM_SIZE, MANIFEST_FILE, META_FILE, StorageError, TOKENS_FILE } from './lib/types';
export { float16ToFloat32, float32ToFloat16 } from './lib/float16';
export { formatMeta, parseMeta } from './lib/meta-json';
export { IndexWriter, type IndexWriterOptions, type ManifestInput, type WrittenIndex } from './lib/index-writer';
export { IndexReader, maxSim, type ChunkLocation } from './lib/index-reader';
export { verifyIndex, type ExpectedChunks, type VerifyOptions, type VerifyReport } from './lib/verify-index';
export { OutputSlot } from './lib/output-slot';
export type { ProtectedPath } from './lib/output-guard';
export { readableIndexDir } from './lib/publish';
export { formatContentHash } from './lib/content-hash';
export { PreviousIndex, type NotReusable, type ReuseKey } from './lib/previous-index';
export { RowTable } from './lib/row-table';
export {
  VectorStore,
  type StoreCounters,
  type StoreEntry,
  type StoreNamespace,
  type StoreStats,
} from './lib/vector-store';
export { mergeIndexes, type MergeOptions } from './lib/merge/merge-indexes';
export { publishFiles } from './lib/publish-files';
export { PLAN_FILE } from './lib/owned-dir';
