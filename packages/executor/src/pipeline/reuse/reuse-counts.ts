import type { WindowPlan } from './window-plan';

/** Where a build's chunks got their rows, in chunks and in tokens. */
export interface ReuseCounts {
  encoded: number;
  /** Copied from the index being replaced. */
  fromPrevious: number;
  /** Read from the vector store. */
  fromStore: number;
  /** A text met earlier in the same build: encoded (or reused) once, copied after. */
  deduplicated: number;
  encodedTokens: number;
  /** Tokens of every chunk not encoded. */
  savedTokens: number;
}

export const noReuse = (): ReuseCounts => ({
  encoded: 0,
  fromPrevious: 0,
  fromStore: 0,
  deduplicated: 0,
  encodedTokens: 0,
  savedTokens: 0,
});

/** Adds a stored window's chunks to `counts`. */
export function countWindow(counts: ReuseCounts, plan: WindowPlan, lengths: Int32Array): void {
  plan.origins.forEach((origin, i) => {
    if (origin.kind === 'encode') {
      counts.encoded++;
      counts.encodedTokens += lengths[i];
      return;
    }
    counts.savedTokens += lengths[i];
    if (origin.kind === 'previous') counts.fromPrevious++;
    else if (origin.kind === 'store') counts.fromStore++;
    else counts.deduplicated++;
  });
}
