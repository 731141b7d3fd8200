import { createHash } from 'node:crypto';
import { ITEM_SIZE, StorageError, type Dtype } from '../types';
import { assertKey } from './layout';
import type { StoreEntry } from './types';

/**
 * An entry file: a 68-byte little-endian header, then the rows.
 *   0  magic `XTRVEC1\0`         8  dtype code (u8), 3 zero bytes
 *  12  dim (u32)                16  tokens (u32)
 *  20  the 16-byte key          36  SHA-256 of bytes 0–35 and the rows
 * The key inside the file catches an entry copied or renamed to another key; the checksum catches
 * torn writes (entries are not fsynced: a crash may leave one half-written) and bit rot.
 */
export const MAGIC = Buffer.from('XTRVEC1\0', 'latin1');
export const HEADER_BYTES = 68;
const CHECKSUM_AT = 36;
export const DTYPE_CODE: Record<Dtype, number> = { float16: 1, float32: 2 };

export interface EntryShape {
  readonly dtype: Dtype;
  readonly dim: number;
}

const checksum = (file: Uint8Array, rows: Uint8Array) =>
  createHash('sha256').update(file.subarray(0, CHECKSUM_AT)).update(rows).digest();

/** Wrong arguments are the caller's bug, not a store problem: they throw. */
export function assertEntryArgs(shape: EntryShape, key: string, tokens: number, rows: Uint8Array): void {
  assertKey(key);
  const expected = tokens * shape.dim * ITEM_SIZE[shape.dtype];
  if (!Number.isInteger(tokens) || tokens < 0 || tokens > 0xffffffff || rows.byteLength !== expected) {
    throw new StorageError(
      `Vector store entry ${key}: ${rows.byteLength} bytes of rows for ${tokens} tokens of dim ${shape.dim} ${shape.dtype} (expected ${expected}).`,
    );
  }
}

export function encodeEntry(shape: EntryShape, key: string, tokens: number, rows: Uint8Array): Buffer {
  const file = Buffer.alloc(HEADER_BYTES + rows.byteLength);
  MAGIC.copy(file, 0);
  file.writeUInt8(DTYPE_CODE[shape.dtype], 8);
  file.writeUInt32LE(shape.dim, 12);
  file.writeUInt32LE(tokens, 16);
  file.write(key, 20, 16, 'hex');
  file.set(rows, HEADER_BYTES);
  checksum(file, rows).copy(file, CHECKSUM_AT);
  return file;
}

export type Decoded = { readonly entry: StoreEntry } | { readonly problem: string };

/** The entry in `file` if it is intact and belongs under `key` in a namespace of `shape`; else what is wrong. */
export function decodeEntry(file: Buffer, shape: EntryShape, key: string): Decoded {
  if (file.length < HEADER_BYTES) return { problem: `${file.length} bytes, shorter than the header` };
  if (!file.subarray(0, 8).equals(MAGIC)) return { problem: 'no entry magic' };
  if (file[8] !== DTYPE_CODE[shape.dtype]) return { problem: `dtype code ${file[8]}, not ${shape.dtype}` };
  const dim = file.readUInt32LE(12);
  if (dim !== shape.dim) return { problem: `dim ${dim}, not ${shape.dim}` };
  if (file.toString('hex', 20, 36) !== key) return { problem: 'written for another key' };
  const tokens = file.readUInt32LE(16);
  const expected = HEADER_BYTES + tokens * dim * ITEM_SIZE[shape.dtype];
  if (file.length !== expected) return { problem: `${file.length} bytes, not ${expected}` };
  const rows = new Uint8Array(file.buffer, file.byteOffset + HEADER_BYTES, file.length - HEADER_BYTES);
  if (!checksum(file, rows).equals(file.subarray(CHECKSUM_AT, HEADER_BYTES))) return { problem: 'checksum mismatch' };
  return { entry: { tokens, rows } };
}
