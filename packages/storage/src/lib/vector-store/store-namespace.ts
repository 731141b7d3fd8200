import { readFileSync, utimesSync } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeAtomic } from './atomic-file';
import { Background } from './background';
import { assertEntryArgs, decodeEntry, encodeEntry } from './entry-format';
import { errorCode, isMissing } from './fs-errors';
import { assertKey, entryPath, NAMESPACE_FILE } from './layout';
import { claimStoreDir } from './store-dir';
import type { StoreCounters, StoreEntry, StoreNamespace, StoreNamespaceKey } from './types';
import { StoreWarnings } from './warnings';

const WRITES_IN_FLIGHT = 32;
/** Encoded rows waiting to be written: bounds the memory a fast encoder on a slow disk can pile up. */
const BACKLOG_BYTES = 32 * 1024 * 1024;

export interface NamespaceContext {
  readonly storeDir: string;
  /** The namespace's folder. */
  readonly dir: string;
  readonly key: StoreNamespaceKey;
  /** Why the store folder could not even be checked; nothing is then read or written. */
  readonly unusable?: unknown;
  /** Keeps the store within its bound once this namespace has written `bytes`. */
  readonly settle: (bytes: number) => Promise<void>;
}

/**
 * Reads are synchronous: a page-cached entry is read faster than a thread-pool round trip, and a
 * build that awaits its gets one by one would otherwise wait for four round trips per entry.
 * Touching is too, so rows are copied only for the rare entry that turns out to be missing.
 */
export class NamespaceHandle implements StoreNamespace {
  readonly counters: StoreCounters = { hits: 0, misses: 0, damaged: 0, written: 0, touched: 0, failed: 0 };
  private readonly problems: StoreWarnings;
  private readonly background = new Background(WRITES_IN_FLIGHT, BACKLOG_BYTES);
  private readonly fanDirs = new Set<string>();
  private ready?: Promise<void>;
  private writtenBytes = 0;
  private closing?: Promise<void>;
  private rate?: number;

  constructor(private readonly context: NamespaceContext) {
    this.problems = new StoreWarnings(context.storeDir);
  }

  get warnings(): string[] {
    return this.problems.list;
  }

  async get(key: string): Promise<StoreEntry | undefined> {
    assertKey(key);
    if (this.unusable('read')) return this.miss();
    const path = entryPath(this.context.dir, key);
    let file: Buffer;
    try {
      file = readFileSync(path);
    } catch (error) {
      if (!isMissing(error)) this.problems.add('read', error);
      return this.miss();
    }
    const decoded = decodeEntry(file, this.context.key, key);
    if ('entry' in decoded) {
      this.counters.hits++;
      return decoded.entry;
    }
    this.counters.damaged++;
    // Removed so that the next put of the key, which the miss causes, restores it.
    await unlink(path).catch((error) => errorCode(error) !== 'ENOENT' && this.problems.add('repair', error));
    return undefined;
  }

  keep(key: string, tokens: number, rows: Uint8Array): void {
    assertEntryArgs(this.context.key, key, tokens, rows);
    if (this.unusable('write')) return this.fail();
    const now = Date.now() / 1000;
    try {
      utimesSync(entryPath(this.context.dir, key), now, now);
      this.counters.touched++;
      return;
    } catch (error) {
      if (!isMissing(error)) return this.problems.add('touch', error);
    }
    this.write(key, encodeEntry(this.context.key, key, tokens, rows));
  }

  put(key: string, tokens: number, rows: Uint8Array): void {
    assertEntryArgs(this.context.key, key, tokens, rows);
    if (this.unusable('write')) return this.fail();
    this.write(key, encodeEntry(this.context.key, key, tokens, rows));
  }

  encodingRate(): number | undefined {
    try {
      const { tokensPerSecond } = JSON.parse(readFileSync(join(this.context.dir, NAMESPACE_FILE), 'utf8'));
      return typeof tokensPerSecond === 'number' && tokensPerSecond > 0 ? tokensPerSecond : undefined;
    } catch {
      return undefined;
    }
  }

  recordEncodingRate(tokensPerSecond: number): void {
    this.rate = tokensPerSecond;
  }

  close(): Promise<void> {
    this.closing ??= this.background.drained().then(async () => {
      if (this.rate !== undefined && !this.unusable('write')) {
        await (this.ready ??= this.prepare())
          .then(() => this.writeNamespaceFile())
          .catch((error) => this.problems.add('write', error));
      }
      if (this.writtenBytes === 0) return;
      await this.context.settle(this.writtenBytes).catch((error) => this.problems.add('maintain', error));
    });
    return this.closing;
  }

  private miss(): undefined {
    this.counters.misses++;
    return undefined;
  }

  private fail(): void {
    this.counters.failed++;
  }

  private unusable(action: 'read' | 'write'): boolean {
    if (this.context.unusable === undefined) return false;
    this.problems.add(action, this.context.unusable);
    return true;
  }

  private write(key: string, file: Buffer): void {
    const queued = this.background.add(file.length, async () => {
      try {
        await this.writeEntry(entryPath(this.context.dir, key), file);
        this.counters.written++;
        this.writtenBytes += file.length;
      } catch (error) {
        this.counters.failed++;
        this.problems.add('write', error);
      }
    });
    if (queued) return;
    this.counters.failed++;
    this.problems.skipped(BACKLOG_BYTES / 2 ** 20);
  }

  private async writeEntry(path: string, file: Buffer): Promise<void> {
    const fanDir = dirname(path);
    for (let attempt = 1; ; attempt++) {
      await (this.ready ??= this.prepare());
      if (!this.fanDirs.has(fanDir)) await mkdir(fanDir, { recursive: true });
      this.fanDirs.add(fanDir);
      try {
        return await writeAtomic(path, file);
      } catch (error) {
        // A clean-up by another build removed the folders since they were made: make them again, once.
        if (errorCode(error) !== 'ENOENT' || attempt > 1) throw error;
        this.ready = undefined;
        this.fanDirs.delete(fanDir);
      }
    }
  }

  private async prepare(): Promise<void> {
    await claimStoreDir(this.context.storeDir);
    await mkdir(this.context.dir, { recursive: true });
    await this.writeNamespaceFile();
  }

  /** What the namespace is for (read by `stats`) and, once measured, the encoder's speed. */
  private async writeNamespaceFile(): Promise<void> {
    const { encoder, dtype, dim } = this.context.key;
    // A build that measured nothing keeps the speed an earlier one recorded.
    const rate = this.rate ?? this.encodingRate();
    const described = { encoder, dtype, dim, ...(rate !== undefined && { tokensPerSecond: Math.round(rate) }) };
    await writeAtomic(join(this.context.dir, NAMESPACE_FILE), `${JSON.stringify(described, null, 2)}\n`);
  }
}
