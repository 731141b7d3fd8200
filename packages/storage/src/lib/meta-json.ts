import type { FileHandle } from 'node:fs/promises';
import { readChunkIds } from './chunk-ids';
import { type ContentHashes, formatContentHash } from './content-hash';
import { type IndexManifest, type IndexMeta, META_FILE, StorageError } from './types';

/** A list that can be sliced: plain arrays and typed arrays alike. */
interface List {
  readonly length: number;
  slice(start: number, end: number): { join(separator: string): string };
}

/** `IndexMeta` with the per-chunk arrays as any list (plain or typed arrays). */
export type MetaColumns = Omit<IndexMeta, 'chunk_ids' | 'offsets' | 'lengths'> & {
  chunk_ids: List;
  offsets: List;
  lengths: List;
};

/** The manifest with content hashes as integers, rendered in hex. */
export type ManifestColumns = Omit<IndexManifest, 'contentHashes'> & {
  contentHashes: ContentHashes;
};

const SLICE = 16_384;

/** JSON array text of `length` items, rendered a slice at a time so no huge string is ever built. */
function* jsonList(length: number, renderSlice: (start: number, end: number) => string): Generator<string> {
  yield '[';
  for (let start = 0; start < length; start += SLICE)
    yield `${start > 0 ? ',' : ''}${renderSlice(start, Math.min(length, start + SLICE))}`;
  yield ']';
}

const numbers = (values: List) => jsonList(values.length, (start, end) => values.slice(start, end).join(','));

/**
 * `index.meta.json`, written by hand: chunk ids are 64-bit and must survive exactly, which
 * `JSON.stringify` cannot do for bigint. Key order and layout are stable so equal indexes are
 * byte-identical.
 */
export function* metaPieces(meta: MetaColumns): Generator<string> {
  yield `{"dim":${meta.dim},"dtype":"${meta.dtype}","total_tokens":${meta.total_tokens},"doc_count":${meta.doc_count},"chunk_ids":`;
  yield* numbers(meta.chunk_ids);
  yield ',"offsets":';
  yield* numbers(meta.offsets);
  yield ',"lengths":';
  yield* numbers(meta.lengths);
  yield '}\n';
}

/** The manifest, readable by people: fields indented, the per-chunk hash list on one line. */
export function* manifestPieces(manifest: ManifestColumns): Generator<string> {
  const { contentHashes, ...rest } = manifest;
  yield `${JSON.stringify(rest, null, 2).replace(/\n}$/, '')},\n  "contentHashes": `;
  yield* jsonList(contentHashes.length, (start, end) => {
    const hex: string[] = [];
    for (let i = start; i < end; i++) hex.push(`"${formatContentHash(contentHashes.at(i))}"`);
    return hex.join(',');
  });
  yield '\n}\n';
}

export const formatMeta = (meta: MetaColumns): string => [...metaPieces(meta)].join('');

/** Writes generated text to an open file piece by piece. */
export async function writePieces(handle: FileHandle, pieces: Iterable<string>): Promise<void> {
  for (const piece of pieces) await handle.write(piece);
}

/**
 * Parses `index.meta.json`, keeping chunk ids as exact bigints. Throws on text that is not JSON
 * and on ids that are not 64-bit integers; other fields are as found (`verifyIndex` checks them).
 */
export function parseMeta(text: string): IndexMeta {
  const parsed = JSON.parse(text) as Omit<IndexMeta, 'chunk_ids'>;
  const ids: bigint[] = [];
  readChunkIds(text, ({ index, source, id }) => {
    if (typeof id !== 'bigint') {
      const entry = `chunk_ids[${index}] = ${source.slice(0, 40)}`;
      throw new StorageError(`${META_FILE}: ${entry} is not a 64-bit integer. Rebuild the index.`);
    }
    ids.push(id);
  });
  return { ...parsed, chunk_ids: ids };
}
