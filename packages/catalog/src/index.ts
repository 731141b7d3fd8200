export type { ChunkBatch, CatalogOptions, StreamOptions, StreamStats } from './lib/types';
export { CatalogError } from './lib/types';
export { DEFAULT_MEMORY_LIMIT, openCatalog, REQUIRED_COLUMNS, type CatalogConnection } from './lib/open-catalog';
export { countChunks, fingerprintCatalog, streamChunks } from './lib/stream-chunks';
export { CatalogFingerprint, contentHash, formatContentHash } from './lib/fingerprint';
export { CHUNKS_DDL, writeCatalog, type ChunkRow } from './lib/write-catalog';
