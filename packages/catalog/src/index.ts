export type { ChunkBatch, CatalogOptions, StreamOptions, StreamStats } from './lib/types';
export { CatalogError } from './lib/types';
export {
  DEFAULT_MEMORY_LIMIT,
  MEMORY_LIMIT_PATTERN,
  DEFAULT_TABLE,
  openCatalog,
  type CatalogConnection,
} from './lib/open-catalog';
export { REQUIRED_COLUMNS } from './lib/check-columns';
export { NO_EXTENSION_LOADING } from './lib/duckdb-settings';
export { countChunks, fingerprintCatalog, streamChunks } from './lib/stream-chunks';
export { lookupChunks, type ChunkDetails } from './lib/lookup-chunks';
export { CatalogFingerprint, contentHash } from './lib/fingerprint';
export { CHUNKS_DDL, writeCatalog, type ChunkRow } from './lib/write-catalog';
