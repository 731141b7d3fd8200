import type { Dtype } from '../types';

export interface VectorStoreOptions {
  /** Absolute path of the store folder. */
  readonly dir: string;
  /** Size bound: pruning keeps the total bytes of entry files at or below it. */
  readonly maxBytes: number;
}

/** What determines a chunk's vectors besides its text: entries are only ever shared within one. */
export interface StoreNamespaceKey {
  readonly encoder: string;
  readonly dtype: Dtype;
  readonly dim: number;
}

export interface StoreEntry {
  readonly tokens: number;
  /** `tokens * dim` values of the namespace's dtype (float16 as its 16-bit pattern), row-major. */
  readonly rows: Uint8Array;
}

/** `hits + misses + damaged` is the number of gets; `failed` counts puts and keeps that stored nothing. */
export interface StoreCounters {
  hits: number;
  misses: number;
  damaged: number;
  written: number;
  touched: number;
  failed: number;
}

export interface StoreNamespace {
  readonly counters: StoreCounters;
  /** Store problems, one per kind: they never fail a build, so they are reported here instead. */
  readonly warnings: string[];
  /** The entry under `key` (32 lowercase hex digits), or undefined when missing or damaged. */
  get(key: string): Promise<StoreEntry | undefined>;
  /** The build used these vectors: marks the entry recently used, writing it if it is missing. */
  keep(key: string, tokens: number, rows: Uint8Array): void;
  /** Newly encoded vectors: written in the background. */
  put(key: string, tokens: number, rows: Uint8Array): void;
  /** Encoding speed (tokens/s) an earlier build with this encoder measured, if one recorded it. */
  encodingRate(): number | undefined;
  /** Records this build's encoding speed, written at `close`: later builds estimate the time reuse saved with it. */
  recordEncodingRate(tokensPerSecond: number): void;
  /** Waits for background writes, then prunes if the store may exceed its bound. Never throws for store I/O. */
  close(): Promise<void>;
}

export interface NamespaceStats {
  /** The namespace's folder name. */
  readonly id: string;
  /** From its `namespace.json`; undefined when that file is missing or unreadable. */
  readonly encoderPrefix?: string;
  readonly dtype?: Dtype;
  readonly dim?: number;
  readonly entries: number;
  readonly bytes: number;
  /** Last-use times (entry mtimes); undefined when the namespace holds no entries. */
  readonly newestUse?: Date;
  readonly oldestUse?: Date;
}

export interface StoreStats {
  readonly dir: string;
  readonly maxBytes: number;
  readonly entries: number;
  readonly bytes: number;
  readonly namespaces: readonly NamespaceStats[];
}

export interface PruneResult {
  readonly removedEntries: number;
  readonly removedBytes: number;
}
