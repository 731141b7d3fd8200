/** One batch of catalog rows, in ascending id order. */
export interface ChunkBatch {
  /** Chunk ids (BIGINT), exact as 64-bit integers. */
  readonly ids: BigInt64Array;
  /** Chunk text; NULL content arrives as "". */
  readonly contents: string[];
  /** Each chunk's `uri` (null when NULL or when the catalog has no such column), with `StreamOptions.uris`. */
  readonly uris?: (string | null)[];
}

export interface CatalogOptions {
  /** Path to the DuckDB database file. */
  readonly path: string;
  /** Table or view holding the chunks (default `chunks`). */
  readonly table?: string;
  /** DuckDB `memory_limit` for this reader, e.g. `256MB` (the default) or `2GB`. */
  readonly memoryLimit?: string;
}

export interface StreamOptions {
  /**
   * Rows per batch handed to the consumer. DuckDB produces vectors of 2048 rows; batches are
   * cut from them, so memory stays bounded by one vector plus one batch.
   */
  readonly batchSize?: number;
  /** Only the chunks with these ids (a shard's), in no particular order; the others are not read. */
  readonly ids?: BigInt64Array;
  /** Read each chunk's `uri` too. */
  readonly uris?: boolean;
}

/** Counts gathered while streaming, complete once the stream has ended. */
export interface StreamStats {
  /** Rows delivered (non-NULL id). */
  rows: number;
  /** Rows skipped because their id was NULL. */
  nullIds: number;
}

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}
