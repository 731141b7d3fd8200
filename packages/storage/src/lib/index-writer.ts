import { createHash, type Hash } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ContentHashColumn } from './content-hash';
import { float32ToFloat16 } from './float16';
import { GrowableColumn } from './growable';
import { manifestPieces, metaPieces } from './meta-json';
import { naming, writeTextFile } from './text-file';
import { permuteRows } from './permute-rows';
import { OutputSlot } from './output-slot';
import { ARRIVAL_FILE } from './owned-dir';
import {
  type Dtype,
  FORMAT_VERSION,
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
  /**
   * The output folder, already claimed (a build claims it before any encoding, so a folder it
   * must not replace is refused at once). The writer releases it on commit or abort. Without
   * one, the writer claims `outDir` itself.
   */
  readonly slot?: OutputSlot;
}

/** Manifest fields only the caller knows; counts, checksum, hashes and file names are the writer's. */
export type ManifestInput = Pick<IndexManifest, 'tool' | 'encoder' | 'catalog'>;

export interface WrittenIndex {
  readonly outDir: string;
  readonly docCount: number;
  readonly totalTokens: number;
  readonly bytes: number;
  readonly files: readonly string[];
}

/**
 * Streams token rows into a staging folder as batches arrive — memory holds one batch plus four
 * numbers per chunk — and publishes the complete index atomically on `commit`. Chunks may arrive
 * in any order: rows are written as they come and, unless ids already ascended, reordered by id
 * in one sequential pass at commit.
 */
export class IndexWriter {
  private readonly ids = new GrowableColumn((n) => new BigInt64Array(n));
  private readonly hashes = new ContentHashColumn();
  private readonly lengths = new GrowableColumn((n) => new Int32Array(n));
  private readonly checksum: Hash = createHash('sha256');
  /** Cumulative time converting to the stored dtype and writing, for benchmarks. */
  readonly timings = { convertMs: 0, writeMs: 0 };
  /** Reused float16 buffer: converting a batch allocates nothing once it is big enough. */
  private halfScratch = new Uint16Array(0);
  private ascending = true;
  private lastId: bigint | undefined;
  private totalTokens = 0;

  private constructor(
    private readonly options: IndexWriterOptions,
    private readonly slot: OutputSlot,
    private readonly tokens: FileHandle,
  ) {}

  static async create(options: IndexWriterOptions): Promise<IndexWriter> {
    const slot = options.slot ?? (await OutputSlot.claim(options.outDir));
    try {
      return new IndexWriter(options, slot, await open(join(slot.staging, ARRIVAL_FILE), 'w+'));
    } catch (error) {
      await slot.release();
      throw error;
    }
  }

  private get staging(): string {
    return this.slot.staging;
  }

  /**
   * Appends chunks; `vectors` holds their rows back to back — float32 values, or float16 bits
   * for a float16 index (an encoder that already produced them saves the conversion) — and
   * `contentHashes` the 128-bit hash of each chunk's text (recorded for verify and incremental builds).
   */
  async append(
    ids: BigInt64Array,
    lengths: Int32Array,
    vectors: Float32Array | Uint16Array,
    contentHashes: readonly bigint[],
  ): Promise<void> {
    const rows = lengths.reduce((sum, n) => sum + n, 0);
    if (
      ids.length !== lengths.length ||
      ids.length !== contentHashes.length ||
      vectors.length !== rows * this.options.dim
    ) {
      throw new StorageError(
        `append: ${ids.length} ids, ${lengths.length} lengths, ${contentHashes.length} hashes and ${vectors.length} values do not describe ${rows} rows of dim ${this.options.dim}.`,
      );
    }
    ids.forEach((id, i) => {
      if (this.lastId !== undefined && id <= this.lastId) this.ascending = false;
      this.lastId = id;
      this.ids.push(id);
      this.hashes.push(contentHashes[i]);
      this.lengths.push(lengths[i]);
    });
    const converting = performance.now();
    const encoded = this.encode(vectors);
    const bytes = new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength);
    if (this.ascending) this.checksum.update(bytes);
    const writing = performance.now();
    this.timings.convertMs += writing - converting;
    await naming(join(this.staging, ARRIVAL_FILE), () => this.tokens.write(bytes));
    this.timings.writeMs += performance.now() - writing;
    this.totalTokens += rows;
  }

  /** Rows appended so far: where the next chunk's rows will start in arrival order. */
  get rowsWritten(): number {
    return this.totalTokens;
  }

  /**
   * Reads back `count` appended rows from arrival row `start` into `into` at byte `at`, in the
   * stored element type: a text that recurs in one build is encoded once and copied after.
   */
  async readRows(start: number, count: number, into: Uint8Array, at: number): Promise<void> {
    const rowBytes = this.options.dim * ITEM_SIZE[this.options.dtype];
    const bytes = count * rowBytes;
    const { bytesRead } = await this.tokens.read(into, at, bytes, start * rowBytes);
    if (bytesRead !== bytes) throw new StorageError(`readRows: rows ${start}..${start + count} were never appended.`);
  }

  /** The batch in the stored element type. */
  private encode(vectors: Float32Array | Uint16Array): Float32Array | Uint16Array {
    if (vectors instanceof Uint16Array) {
      if (this.options.dtype !== 'float16')
        throw new StorageError('append: float16 vectors given for a float32 index.');
      return vectors;
    }
    if (this.options.dtype === 'float32') return vectors;
    if (this.halfScratch.length < vectors.length) this.halfScratch = new Uint16Array(Math.ceil(vectors.length * 1.5));
    return float32ToFloat16(vectors, this.halfScratch.subarray(0, vectors.length));
  }

  /** Orders rows by id if needed, writes the metadata and replaces the previous index in one step. */
  async commit(manifest: ManifestInput): Promise<WrittenIndex> {
    const { dim, dtype } = this.options;
    const { outDir } = this.slot;
    const order = this.idOrder();
    const tokensPath = join(this.staging, TOKENS_FILE[dtype]);
    let checksum = this.checksum;
    if (this.ascending) {
      await this.tokens.close();
      await rename(join(this.staging, ARRIVAL_FILE), tokensPath);
    } else {
      checksum = createHash('sha256');
      const target = await open(tokensPath, 'w');
      try {
        await naming(tokensPath, () =>
          permuteRows(this.tokens, target, order, this.lengths.values(), dim * ITEM_SIZE[dtype], checksum),
        );
      } finally {
        await target.close();
        await this.tokens.close();
      }
      await unlink(join(this.staging, ARRIVAL_FILE));
    }
    const ids = this.ids.values();
    const lengths = this.lengths.values();
    const docCount = order.length;
    const sortedIds = new BigInt64Array(docCount);
    const sortedLengths = new Int32Array(docCount);
    const offsets = new Float64Array(docCount);
    let offset = 0;
    order.forEach((chunk, i) => {
      sortedIds[i] = ids[chunk];
      sortedLengths[i] = lengths[chunk];
      offsets[i] = offset;
      offset += lengths[chunk];
    });
    const meta = {
      dim,
      dtype,
      total_tokens: this.totalTokens,
      doc_count: docCount,
      chunk_ids: sortedIds,
      offsets,
      lengths: sortedLengths,
    };
    await writeTextFile(join(this.staging, META_FILE), metaPieces(meta));
    await writeTextFile(
      join(this.staging, MANIFEST_FILE),
      manifestPieces({
        formatVersion: FORMAT_VERSION,
        ...manifest,
        dim,
        dtype,
        docCount,
        totalTokens: this.totalTokens,
        tokensFile: TOKENS_FILE[dtype],
        tokensSha256: checksum.digest('hex'),
        contentHashes: this.hashes.ordered(order),
      }),
    );
    await this.slot.publish();
    await this.slot.release();
    return {
      outDir,
      docCount,
      totalTokens: this.totalTokens,
      bytes: this.totalTokens * dim * ITEM_SIZE[dtype],
      files: [TOKENS_FILE[dtype], META_FILE, MANIFEST_FILE],
    };
  }

  /** Chunk positions in ascending id order; a repeated id is an error. */
  private idOrder(): Uint32Array {
    const ids = this.ids.values();
    const order = Uint32Array.from({ length: ids.length }, (_, i) => i);
    if (!this.ascending) order.sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
    for (let i = 1; i < order.length; i++) {
      if (ids[order[i]] === ids[order[i - 1]]) {
        throw new StorageError(
          `chunk id ${ids[order[i]]} occurs more than once; chunk ids must be unique. Deduplicate the catalog.`,
        );
      }
    }
    return order;
  }

  /** Drops the staging folder and frees the output; the previous index is untouched. */
  async abort(): Promise<void> {
    await this.tokens.close().catch(() => undefined);
    await this.slot.release();
  }
}
