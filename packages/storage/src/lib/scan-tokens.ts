import type { FileHandle } from 'node:fs/promises';
import { type BlockHasher, inlineHasher, workerHasher } from './block-hasher';
import { RowNormCheck, type RowNormOptions } from './row-norms';

/** Large sequential reads: few system calls and promise turns per gigabyte. */
const BLOCK_BYTES = 16 << 20;
/** Blocks in flight: one being read, one being checked, one the hashing thread may still hold. */
const SLOTS = 3;
/** Below this a hashing thread costs more to start than it saves. */
const WORKER_MIN_BYTES = 64 << 20;

export interface ScanOptions {
  /** Check rows too (finiteness, unit norm); without it the file is only hashed. */
  readonly rows?: RowNormOptions;
  /** Hash on a worker thread, overlapped with the row check (default: for files of 64 MiB and more). */
  readonly hashInWorker?: boolean;
  /** Bytes per read, a multiple of 4 (default 16 MiB); small ones let tests cross many blocks. */
  readonly blockBytes?: number;
}

export interface TokenScan {
  readonly sha256: string;
  /** Bytes read: differs from the size checked beforehand only if the file changed meanwhile. */
  readonly bytes: number;
  readonly rows?: Pick<RowNormCheck, 'rows' | 'nonFinite' | 'offNorm'>;
}

/** Reads until `bytes` are in or the file ends; returns how many arrived. */
async function readFully(handle: FileHandle, bytes: Uint8Array, position: number): Promise<number> {
  let filled = 0;
  while (filled < bytes.length) {
    const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

/**
 * One sequential pass over an open token file: SHA-256 of every byte and, optionally, the row
 * check. Three fixed buffers take turns, so the next read, the check of the current block and
 * the hash of the previous one overlap, and memory stays at 48 MiB whatever the file's size.
 */
export async function scanTokens(handle: FileHandle, size: number, options: ScanOptions = {}): Promise<TokenScan> {
  const slotBytes = Math.min(options.blockBytes ?? BLOCK_BYTES, Math.ceil(Math.max(size, 1) / 4) * 4);
  const inWorker = options.hashInWorker ?? size >= WORKER_MIN_BYTES;
  const buffer = inWorker ? new SharedArrayBuffer(slotBytes * SLOTS) : new ArrayBuffer(slotBytes * SLOTS);
  const slot = (block: number) => new Uint8Array(buffer, (block % SLOTS) * slotBytes, slotBytes);
  const hasher: BlockHasher = inWorker ? workerHasher(buffer as SharedArrayBuffer) : inlineHasher(buffer);
  const check = options.rows && new RowNormCheck(buffer, options.rows);
  const hashed: Promise<void>[] = [];
  let position = 0;
  let reading: Promise<number> | undefined;
  try {
    reading = readFully(handle, slot(0), 0);
    for (let block = 0; ; block++) {
      const length = await reading;
      reading = undefined;
      if (length === 0) break;
      const offset = (block % SLOTS) * slotBytes;
      // The next read reuses the slot of block - 2: wait until the hasher has let go of it.
      await hashed[(block + 1) % SLOTS];
      if (length === slotBytes) reading = readFully(handle, slot(block + 1), position + length);
      hashed[block % SLOTS] = hasher.update(offset, length);
      check?.check(offset, length);
      position += length;
      if (!reading) break;
    }
    await Promise.all(hashed);
    return { sha256: await hasher.digest(), bytes: position, rows: check };
  } finally {
    // Never close the file under a read still in flight (it would fail in the thread pool).
    await reading?.catch(() => undefined);
    await hasher.close();
  }
}
