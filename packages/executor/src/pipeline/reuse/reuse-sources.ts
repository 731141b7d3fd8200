import { formatContentHash, PreviousIndex, type StoreEntry, type StoreNamespace, VectorStore } from '@xtr-nx/storage';
import type { TokenEncoder } from '@xtr-nx/encoder';
import type { Dtype } from '@xtr-nx/storage';
import type { StoreOptions } from '../../config/store-options';
import type { BuildLogger } from '../progress';

/** The encoder as reuse sees it: what its vectors are keyed by, and a way to learn its width. */
type ReuseEncoder = Pick<TokenEncoder, 'fingerprint' | 'dim' | 'encode'>;

export interface ReuseSettings {
  /** Read vectors from the previous index and the store (false: a full build). */
  readonly reuse: boolean;
  readonly outputDir: string;
  readonly store: StoreOptions | undefined;
}

/**
 * Where a build finds vectors it need not encode: the index it is about to replace (when made by
 * the same encoder and intact) and the local vector store. The store is also filled with every
 * vector the build uses, so it can stand in when the index folder is gone.
 */
export class ReuseSources {
  private namespace: StoreNamespace | undefined;

  private constructor(
    readonly previous: PreviousIndex | undefined,
    private readonly store: VectorStore | undefined,
    private readonly readStore: boolean,
    private readonly key: { readonly fingerprint: string; readonly dtype: Dtype },
    readonly notes: readonly string[],
  ) {}

  static async open(
    settings: ReuseSettings,
    encoder: ReuseEncoder,
    dtype: Dtype,
    logger: BuildLogger,
  ): Promise<ReuseSources> {
    const key = { fingerprint: encoder.fingerprint, dtype };
    const notes: string[] = [];
    let previous: PreviousIndex | undefined;
    if (settings.reuse) {
      const opened = await PreviousIndex.open(settings.outputDir, key);
      if (opened instanceof PreviousIndex) {
        previous = opened;
        notes.push(`reusing vectors from the previous index at ${settings.outputDir}`);
      } else notes.push(`the previous index at ${settings.outputDir} lends no vectors: ${opened.reason}`);
    }
    let store: VectorStore | undefined;
    if (settings.store) {
      try {
        store = VectorStore.open(settings.store);
        notes.push(`vector store at ${settings.store.dir}${settings.reuse ? '' : ' (filled, not read)'}`);
      } catch (error) {
        logger.info(`warning: ${(error as Error).message} The build goes on without the vector store.`);
      }
    }
    const sources = new ReuseSources(previous, store, settings.reuse, key, notes);
    // A learned model of undeclared width shows it only once it runs: one tiny run, so the
    // store can lend vectors from the first window on.
    if (encoder.dim === undefined && previous === undefined && sources.readStore && store) await encoder.encode(['x']);
    const dim = encoder.dim ?? previous?.dim;
    if (dim !== undefined) sources.widthKnown(dim);
    return sources;
  }

  /** The store keys vectors by width too: usable once the width is known. */
  widthKnown(dim: number): void {
    this.namespace ??= this.store?.namespace({ encoder: this.key.fingerprint, dtype: this.key.dtype, dim });
  }

  /** The store's vectors for a text, if it has intact ones. */
  async fromStore(hash: bigint): Promise<StoreEntry | undefined> {
    return this.readStore ? this.namespace?.get(formatContentHash(hash)) : undefined;
  }

  /** Vectors this build encoded: into the store. */
  encoded(hash: bigint, tokens: number, rows: Uint8Array): void {
    this.namespace?.put(formatContentHash(hash), tokens, rows);
  }

  /** Vectors this build reused: kept fresh in the store (written there if it lacks them). */
  reused(hash: bigint, tokens: number, rows: Uint8Array): void {
    this.namespace?.keep(formatContentHash(hash), tokens, rows);
  }

  /** Encoding speed (tokens/s) an earlier build with this encoder recorded in the store. */
  encodingRate(): number | undefined {
    return this.namespace?.encodingRate();
  }

  /** Records this build's encoding speed in the store, for later builds' estimates. */
  recordEncodingRate(tokensPerSecond: number): void {
    this.namespace?.recordEncodingRate(tokensPerSecond);
  }

  /** Store counters and warnings, once the build is over. */
  get storeReport() {
    return this.namespace && { counters: this.namespace.counters, warnings: this.namespace.warnings };
  }

  /**
   * Closes the previous index and, unless the build was interrupted, waits for the store's
   * writes and prunes it; an interrupted build leaves at most temporary files, which a later
   * prune removes.
   */
  async close(interrupted: boolean): Promise<void> {
    await this.previous?.close();
    if (!interrupted) await this.namespace?.close();
  }
}
