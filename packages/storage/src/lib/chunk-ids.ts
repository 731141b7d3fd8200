import { forEachArrayElement } from './json-scan';

/** Why a `chunk_ids` entry is not an id. */
export type ChunkIdDefect = 'string' | 'not-integer' | 'out-of-range' | 'not-number';

/** What entries with each defect are, for "N chunk_ids entry(s) <this>, e.g. …". */
export const CHUNK_ID_DEFECTS: Record<ChunkIdDefect, string> = {
  string: 'are JSON strings, not numbers (write 12, not "12")',
  'not-integer': 'are not written as plain integers (1e3, 1.0 and 1.5 are not ids)',
  'out-of-range': 'are outside the signed 64-bit range −9223372036854775808 … 9223372036854775807',
  'not-number': 'are not numbers',
};

const INTEGER = /^-?(0|[1-9][0-9]*)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The exact id a JSON value's source text spells, or why it is not one. */
export function readChunkId(source: string): bigint | ChunkIdDefect {
  if (INTEGER.test(source)) {
    const id = BigInt(source);
    return id < INT64_MIN || id > INT64_MAX ? 'out-of-range' : id;
  }
  const first = source.charCodeAt(0);
  if (first === 0x22) return 'string';
  return first === 0x2d || (first >= 0x30 && first <= 0x39) ? 'not-integer' : 'not-number';
}

/** One `chunk_ids` entry: its position, source text and exact value (or defect). */
export interface ChunkIdEntry {
  readonly index: number;
  readonly source: string;
  readonly id: bigint | ChunkIdDefect;
}

/**
 * Visits every `chunk_ids` entry of meta text that is valid JSON, read exactly; false when the
 * top-level object has no `chunk_ids` array.
 */
export function readChunkIds(text: string, visit: (entry: ChunkIdEntry) => void): boolean {
  let index = 0;
  return forEachArrayElement(text, 'chunk_ids', (start, end) => {
    const source = text.slice(start, end);
    visit({ index: index++, source, id: readChunkId(source) });
  });
}
