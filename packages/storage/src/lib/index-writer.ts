import { createHash, type Hash } from 'node:crypto';
import { open, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { float32ToFloat16 } from './float16';
import { GrowableColumn } from './growable';
import { formatManifest, formatMeta } from './meta-json';
import { createStagingDir, publishStagingDir } from './publish';
import {
  type Dtype,
  type IndexManifest,
  ITEM_SIZE,
  MANIFEST_FILE,
  META_FILE,
  StorageError,
  TOKENS_FILE,
} from './types';

export interface IndexWriterOptions {
  readonly outDir: string;
  readonly dim: number;
  readonly dtype: Dtype;
}

/** Manifest fields only the caller knows; counts, checksum and file names are the writer's. */
export type ManifestInput = Pick<IndexManifest, 'tool' | 'encoder' | 'catalog'>;

export interface WrittenIndex {
  readonly outDir: string;
  readonly docCount: number;
  readonly totalTokens: number;
  readonly bytes: number;
  readonly files: readonly string[];
}

/**
 * Streams token rows into a staging folder as batches arrive (memory holds one batch plus the
 * per-chunk columns), then publishes the complete index atomically on `commit`.
 */
export class IndexWriter {
  private readonly ids = new GrowableColumn((n) => new BigInt64Array(n));
  private readonly lengths = new GrowableColumn((n) => new Float64Array(n));
  private readonly checksum: Hash = createHash('sha256');
  private readonly contentHashes: string[] = [];
  private totalTokens = 0;
  private lastId: bigint | undefined;

  private constructor(
    private readonly options: IndexWriterOptions,
    private readonly staging: string,
    private readonly tokens: FileHandle,
  ) {}

  static async create(options: IndexWriterOptions): Promise<IndexWriter> {
    const staging = await createStagingDir(options.outDir);
    const tokens = await open(join(staging, TOKENS_FILE[options.dtype]), 'w');
    return new IndexWriter(options, staging, tokens);
  }

  /**
   * Appends chunks in ascending id order; `vectors` holds their rows back to back and
   * `contentHashes` the hash of each chunk's text (recorded for verify and incremental builds).
   */
  async append(ids: BigInt64Array, lengths: Int32Array, vectors: Float32Array, contentHashes: readonly string[]): Promise<void> {
    const rows = lengths.reduce((sum, n) => sum + n, 0);
    if (ids.length !== lengths.length || ids.length !== contentHashes.length || vectors.length !== rows * this.options.dim) {
      throw new StorageError(
        `append: ${ids.length} ids, ${lengths.length} lengths, ${contentHashes.length} hashes and ${vectors.length} values do not describe ${rows} rows of dim ${this.options.dim}.`,
      );
    }
    this.contentHashes.push(...contentHashes);
    ids.forEach((id, i) => {
      if (this.lastId !== undefined && id <= this.lastId) {
        throw new StorageError(`append: chunk id ${id} follows ${this.lastId}; ids must be unique and ascending.`);
      }
      this.lastId = id;
      this.ids.push(id);
      this.lengths.push(lengths[i]);
    });
    const encoded = this.options.dtype === 'float16' ? float32ToFloat16(vectors) : vectors;
    const bytes = new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength);
    this.checksum.update(bytes);
    await this.tokens.write(bytes);
    this.totalTokens += rows;
  }

  /** Writes the metadata and replaces the previous index in one step. */
  async commit(manifest: ManifestInput): Promise<WrittenIndex> {
    const { dim, dtype, outDir } = this.options;
    await this.tokens.close();
    const lengths = Array.from(this.lengths.values());
    const offsets = new Array<number>(lengths.length);
    lengths.reduce((offset, length, i) => ((offsets[i] = offset), offset + length), 0);
    const docCount = lengths.length;
    const meta = formatMeta({
      dim,
      dtype,
      total_tokens: this.totalTokens,
      doc_count: docCount,
      chunk_ids: Array.from(this.ids.values()),
      offsets,
      lengths,
    });
    const full: IndexManifest = {
      formatVersion: 1,
      ...manifest,
      dim,
      dtype,
      docCount,
      totalTokens: this.totalTokens,
      tokensFile: TOKENS_FILE[dtype],
      tokensSha256: this.checksum.digest('hex'),
      builtAt: new Date().toISOString(),
      contentHashes: this.contentHashes,
    };
    await writeFile(join(this.staging, META_FILE), meta);
    await writeFile(join(this.staging, MANIFEST_FILE), formatManifest(full));
    await publishStagingDir(this.staging, outDir);
    return {
      outDir,
      docCount,
      totalTokens: this.totalTokens,
      bytes: this.totalTokens * dim * ITEM_SIZE[dtype],
      files: [TOKENS_FILE[dtype], META_FILE, MANIFEST_FILE],
    };
  }

  /** Drops the staging folder; the previous index is untouched. */
  async abort(): Promise<void> {
    await this.tokens.close().catch(() => undefined);
    await rm(this.staging, { recursive: true, force: true });
  }
}
