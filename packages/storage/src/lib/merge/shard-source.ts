import { createHash } from 'node:crypto';
import { type FileHandle, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkManifestText, compareWithMeta } from '../manifest-check';
import { checkMetaText, checkStructure } from '../meta-check';
import { type Dtype, ITEM_SIZE, MANIFEST_FILE, META_FILE, StorageError, TOKENS_FILE } from '../types';

const BLOCK_BYTES = 8 << 20;

/** One chunk at the head of a shard. */
export interface ShardChunk {
  readonly id: bigint;
  readonly hash: bigint;
  readonly length: number;
}

/**
 * A published index (a shard) read front to back, chunk by chunk in its id order: the token file
 * is read sequentially in large blocks and hashed on the way, so the merge can prove at the end
 * that every byte it copied is the byte the shard's manifest vouches for.
 */
export class ShardSource {
  private chunk = 0;
  private block = Buffer.alloc(0);
  private blockStart = 0;
  private position = 0;
  private readonly checksum = createHash('sha256');

  private constructor(
    readonly dir: string,
    readonly dim: number,
    readonly dtype: Dtype,
    /** The encoder fingerprint and everything else the shard's manifest records. */
    readonly manifest: Readonly<Record<string, unknown>>,
    private readonly ids: readonly bigint[],
    private readonly lengths: readonly number[],
    private readonly hashes: readonly string[],
    private readonly tokensSha256: string,
    private readonly tokens: FileHandle,
  ) {}

  /** Opens the shard at `dir` after checking its metadata, manifest and token file size. */
  static async open(dir: string): Promise<ShardSource> {
    const problems: string[] = [];
    const read = (name: string) =>
      readFile(join(dir, name), 'utf8').catch(() => {
        problems.push(`${name} is missing or unreadable`);
        return undefined;
      });
    const [metaText, manifestText] = [await read(META_FILE), await read(MANIFEST_FILE)];
    const meta = metaText === undefined ? {} : checkMetaText(metaText, problems);
    checkStructure(meta, problems);
    const manifest = manifestText === undefined ? undefined : checkManifestText(manifestText, problems);
    if (manifest) compareWithMeta(manifest, meta, problems);
    const { dim, dtype, chunk_ids: ids, lengths, total_tokens: totalTokens } = meta;
    if (problems.length === 0 && dim && dtype && ids && lengths && totalTokens !== undefined && manifest) {
      const tokensPath = join(dir, TOKENS_FILE[dtype]);
      const size = (await stat(tokensPath).catch(() => undefined))?.size;
      if (size === totalTokens * dim * ITEM_SIZE[dtype]) {
        return new ShardSource(
          dir,
          dim,
          dtype,
          JSON.parse(manifestText as string),
          ids,
          lengths,
          manifest.contentHashes as string[],
          manifest.tokensSha256 as string,
          await open(tokensPath, 'r'),
        );
      }
      problems.push(`${TOKENS_FILE[dtype]} holds ${size ?? 'no'} bytes, not the ${totalTokens} rows of dim ${dim}`);
    }
    throw new StorageError(`Shard ${dir} is not a complete index: ${problems[0]}. Rebuild that shard.`);
  }

  get docCount(): number {
    return this.ids.length;
  }

  /** The next chunk's id, or undefined once every chunk was read: all the merge compares, so nothing is allocated. */
  get headId(): bigint | undefined {
    return this.chunk === this.ids.length ? undefined : this.ids[this.chunk];
  }

  /** The next chunk. */
  get head(): ShardChunk {
    return { id: this.ids[this.chunk], hash: BigInt(`0x${this.hashes[this.chunk]}`), length: this.lengths[this.chunk] };
  }

  /** Copies the head chunk's rows into `into` at byte `at`, and moves to the next chunk. */
  async take(into: Uint8Array, at: number): Promise<void> {
    let bytes = this.lengths[this.chunk] * this.dim * ITEM_SIZE[this.dtype];
    let target = at;
    while (bytes > 0) {
      const offset = this.position - this.blockStart;
      if (offset === this.block.length) {
        await this.nextBlock();
        continue;
      }
      const copied = Math.min(bytes, this.block.length - offset);
      into.set(this.block.subarray(offset, offset + copied), target);
      this.position += copied;
      target += copied;
      bytes -= copied;
    }
    this.chunk++;
  }

  private async nextBlock(): Promise<void> {
    const block = Buffer.allocUnsafe(BLOCK_BYTES);
    const { bytesRead } = await this.tokens.read(block, 0, BLOCK_BYTES, this.position);
    if (bytesRead === 0) throw new StorageError(`Shard ${this.dir}: its token file ended early. Rebuild that shard.`);
    this.block = block.subarray(0, bytesRead);
    this.blockStart = this.position;
    this.checksum.update(this.block);
  }

  /** After the last chunk: whether the bytes read are the ones the manifest's checksum names. */
  verified(): boolean {
    return this.chunk === this.ids.length && this.checksum.copy().digest('hex') === this.tokensSha256;
  }

  async close(): Promise<void> {
    await this.tokens.close();
  }
}
