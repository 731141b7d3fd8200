import { isAbsolute, join } from 'node:path';
import { ITEM_SIZE, StorageError } from '../types';
import { LAYOUT_DIR, namespaceId } from './layout';
import { clearStore, pruneStore } from './prune';
import { scanStore } from './scan';
import { namespaceStats } from './stats';
import { checkStoreDir } from './store-dir';
import { NamespaceHandle } from './store-namespace';
import type { PruneResult, StoreNamespace, StoreNamespaceKey, StoreStats, VectorStoreOptions } from './types';
import { needsScan, readUsage, recordScan, writeUsage } from './usage';

/**
 * A build prunes to this share of `maxBytes`, not to `maxBytes` itself, so that the next few
 * builds' new entries fit without another scan. An explicit `prune` goes to exactly its bound.
 */
export const AUTO_PRUNE_TARGET = 0.9;

const NOTHING_REMOVED: PruneResult = { removedEntries: 0, removedBytes: 0 };

/**
 * A persistent, content-addressed store of token vectors, shared by builds across index folders.
 * Safe to use from several processes at once: every write is atomic and every entry checksummed.
 */
export class VectorStore {
  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
    /** Why the folder could not be checked: builds then neither read nor write it, and warn. */
    private readonly unusable: unknown,
  ) {}

  /** Checks the folder (StorageError when the store did not create it); creates nothing. */
  static open({ dir, maxBytes }: VectorStoreOptions): VectorStore {
    if (!isAbsolute(dir)) throw new StorageError(`The vector store folder must be an absolute path, not ${dir}.`);
    if (!(maxBytes >= 0 && Number.isFinite(maxBytes))) {
      throw new StorageError(`The vector store's maxBytes must be a number of bytes, not ${maxBytes}.`);
    }
    try {
      checkStoreDir(dir);
      return new VectorStore(dir, maxBytes, undefined);
    } catch (error) {
      if (error instanceof StorageError) throw error;
      return new VectorStore(dir, maxBytes, error);
    }
  }

  namespace(key: StoreNamespaceKey): StoreNamespace {
    const { encoder, dtype, dim } = key;
    if (
      typeof encoder !== 'string' ||
      encoder === '' ||
      !Object.hasOwn(ITEM_SIZE, dtype) ||
      !(Number.isInteger(dim) && dim > 0)
    ) {
      throw new StorageError(
        `Invalid vector store namespace ${JSON.stringify(key)}: need an encoder, a dtype and a dim.`,
      );
    }
    return new NamespaceHandle({
      storeDir: this.dir,
      dir: join(this.dir, LAYOUT_DIR, namespaceId(key)),
      key,
      unusable: this.unusable,
      settle: (bytes) => this.settle(bytes),
    });
  }

  /** Scans the whole store, and corrects the usage estimate builds rely on. */
  async stats(): Promise<StoreStats> {
    if (checkStoreDir(this.dir) === 'missing') {
      return { dir: this.dir, maxBytes: this.maxBytes, entries: 0, bytes: 0, namespaces: [] };
    }
    const namespaces = await Promise.all((await scanStore(this.dir)).namespaces.map(namespaceStats));
    const bytes = namespaces.reduce((sum, ns) => sum + ns.bytes, 0);
    await recordScan(this.dir, bytes);
    const entries = namespaces.reduce((sum, ns) => sum + ns.entries, 0);
    return { dir: this.dir, maxBytes: this.maxBytes, entries, bytes, namespaces };
  }

  /** Removes least recently used entries until the store holds at most `maxBytes`. */
  async prune(maxBytes = this.maxBytes): Promise<PruneResult> {
    if (checkStoreDir(this.dir) === 'missing') return NOTHING_REMOVED;
    const { remainingBytes, ...removed } = await pruneStore(this.dir, maxBytes, maxBytes);
    await recordScan(this.dir, remainingBytes);
    return removed;
  }

  /** Removes every entry; files the store did not write, and the folders holding them, stay. */
  async clear(): Promise<PruneResult> {
    if (checkStoreDir(this.dir) === 'missing') return NOTHING_REMOVED;
    return clearStore(this.dir);
  }

  /** After a build wrote `bytes`: trusts the usage estimate while it can, scans and prunes when not. */
  private async settle(bytes: number): Promise<void> {
    const now = Date.now();
    const usage = await readUsage(this.dir);
    const estimate = usage && { bytes: usage.bytes + bytes, scannedAt: usage.scannedAt };
    if (estimate && !needsScan(estimate, this.maxBytes, now)) return writeUsage(this.dir, estimate);
    const target = Math.floor(this.maxBytes * AUTO_PRUNE_TARGET);
    const { remainingBytes } = await pruneStore(this.dir, this.maxBytes, target, now);
    await writeUsage(this.dir, { bytes: remainingBytes, scannedAt: now });
  }
}
