import type { IndexManifest, IndexMeta } from './types';

type Joinable = { join(separator: string): string };

/** `IndexMeta` with the per-chunk arrays as any list (plain or typed arrays). */
export type MetaColumns = Omit<IndexMeta, 'chunk_ids' | 'offsets' | 'lengths'> & {
  chunk_ids: Joinable;
  offsets: Joinable;
  lengths: Joinable;
};

/**
 * Serialises `index.meta.json` by hand: chunk ids are 64-bit and must survive exactly, which
 * `JSON.stringify` cannot do for bigint. Key order and layout are stable so equal indexes are
 * byte-identical.
 */
export function formatMeta(meta: MetaColumns): string {
  const list = (values: Joinable) => `[${values.join(',')}]`;
  return (
    `{"dim":${meta.dim},"dtype":"${meta.dtype}","total_tokens":${meta.total_tokens},` +
    `"doc_count":${meta.doc_count},"chunk_ids":${list(meta.chunk_ids)},` +
    `"offsets":${list(meta.offsets)},"lengths":${list(meta.lengths)}}\n`
  );
}

const CHUNK_IDS = /"chunk_ids"\s*:\s*\[([^\]]*)\]/;

/** Parses `index.meta.json`, keeping chunk ids as exact bigints. */
export function parseMeta(text: string): IndexMeta {
  const parsed = JSON.parse(text) as Omit<IndexMeta, 'chunk_ids'>;
  const ids = CHUNK_IDS.exec(text)?.[1].trim() ?? '';
  return { ...parsed, chunk_ids: ids === '' ? [] : ids.split(',').map((id) => BigInt(id.trim())) };
}

/** The manifest, readable by people: fields indented, the per-chunk hash list on one line. */
export function formatManifest(manifest: IndexManifest): string {
  const { contentHashes, ...rest } = manifest;
  const head = JSON.stringify(rest, null, 2).replace(/\n}$/, '');
  return `${head},\n  "contentHashes": ${JSON.stringify(contentHashes)}\n}\n`;
}
