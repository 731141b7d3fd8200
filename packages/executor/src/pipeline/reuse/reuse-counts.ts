import type { EncoderTimings } from '@xtr-nx/encoder';
import type { ReuseSources } from './reuse-sources';
import type { WindowPlan } from './window-plan';

/** Below this many encoded tokens a build's speed is mostly start-up (the first run allocates): not a rate to go by. */
const RATE_SAMPLE_TOKENS = 20_000;

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

/**
 * The encoding time reuse saved: tokens not encoded at this build's encoding speed when it
 * encoded enough to measure one (and then recorded for later builds), else at the speed an
 * earlier build recorded in the store; undefined when neither exists.
 */
export function encodingSavedMs(
  counts: ReuseCounts,
  timings: EncoderTimings,
  sources: ReuseSources,
): number | undefined {
  const encodingMs = timings.tokenizeMs + timings.runMs + timings.postMs;
  const measured = counts.encodedTokens >= RATE_SAMPLE_TOKENS ? counts.encodedTokens / (encodingMs / 1000) : undefined;
  if (measured !== undefined) sources.recordEncodingRate(measured);
  const rate = measured ?? sources.encodingRate();
  return rate === undefined || counts.savedTokens === 0 ? undefined : (1000 * counts.savedTokens) / rate;
}
