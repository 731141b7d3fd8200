import type { RowTable, StoreEntry } from '@xtr-nx/storage';
import type { ReuseSources } from './reuse-sources';

/** Where one chunk's rows come from. */
export type ChunkOrigin =
  /** Encoded now: the `index`-th text sent to the encoder. */
  | { readonly kind: 'encode'; readonly index: number }
  /** Copied from the previous index. */
  | { readonly kind: 'previous'; readonly start: number; readonly count: number }
  /** Read from the vector store. */
  | { readonly kind: 'store'; readonly entry: StoreEntry }
  /** The same text as a chunk of an earlier window: copied from what this build already wrote. */
  | { readonly kind: 'built' }
  /** The same text as chunk `first` of this window. */
  | { readonly kind: 'repeat'; readonly first: number };

export interface WindowPlan {
  /** Per chunk of the window, its content hash and where its rows come from. */
  readonly hashes: readonly bigint[];
  readonly origins: readonly ChunkOrigin[];
  /** Positions of the chunks to encode, in window order. */
  readonly encode: readonly number[];
}

/** Marks a text as planned before its rows are written (they are once its window is stored). */
export const PLANNED = -1;

/**
 * Decides, for each chunk of a window, where its rows come from: a text this build already met
 * is copied (encoded once per build), then the previous index, then the store; only the rest is
 * encoded. `planned` holds every text of the earlier windows.
 */
export async function planWindow(
  hashes: readonly bigint[],
  sources: ReuseSources,
  planned: RowTable,
): Promise<WindowPlan> {
  const origins: ChunkOrigin[] = new Array(hashes.length);
  const firstInWindow = new Map<bigint, number>();
  const lookups: number[] = [];
  hashes.forEach((hash, i) => {
    const first = firstInWindow.get(hash);
    if (first !== undefined) {
      origins[i] = { kind: 'repeat', first };
      return;
    }
    firstInWindow.set(hash, i);
    if (!planned.add(hash, PLANNED, 0)) {
      origins[i] = { kind: 'built' };
      return;
    }
    const previous = sources.previous?.find(hash);
    if (previous) origins[i] = { kind: 'previous', ...previous };
    else lookups.push(i);
  });
  const entries = await Promise.all(lookups.map((i) => sources.fromStore(hashes[i])));
  const encode: number[] = [];
  lookups.forEach((i, k) => {
    const entry = entries[k];
    if (entry) origins[i] = { kind: 'store', entry };
    else origins[i] = { kind: 'encode', index: encode.push(i) - 1 };
  });
  return { hashes, origins, encode };
}
