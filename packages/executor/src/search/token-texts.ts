import { type ChunkDetails, contentHash } from '@xtr-nx/catalog';
import type { QueryEncoder } from '@xtr-nx/search';
import { formatContentHash } from '@xtr-nx/storage';
import type { ShownHit } from './search-request';

/**
 * Adds to each match of `hits` (one query's) the query token and the chunk token as people read
 * them. A chunk's tokens come from its catalog text, re-tokenized, and only when that text is the
 * one indexed (its content hash is the manifest's): otherwise rows and tokens need not align.
 */
export async function withTokenTexts(
  hits: readonly ShownHit[],
  queryTokens: readonly string[],
  details: ReadonlyMap<bigint, ChunkDetails>,
  indexedHash: (id: bigint) => string | undefined,
  encoder: QueryEncoder,
): Promise<ShownHit[]> {
  const shown: ShownHit[] = [];
  for (const hit of hits) {
    const detail = details.get(hit.id);
    const current = detail && formatContentHash(contentHash(detail.content)) === indexedHash(hit.id);
    const chunkTokens = current ? await encoder.rowTokens(detail.content) : undefined;
    shown.push({
      ...hit,
      matches: hit.matches?.map((match) => ({
        ...match,
        q_token: queryTokens[match.q_index],
        doc_token: match.doc_index === null ? null : (chunkTokens?.[match.doc_index] ?? null),
      })),
    });
  }
  return shown;
}
