/** How chunks are scored against a query. */
export type SearchMode = 'maxsim' | 'xtr';

export interface ScoreOptions {
  /** Hits kept per query: a positive integer. */
  readonly k: number;
  /**
   * `maxsim` (the Python reader's): every chunk (or candidate) scored by the sum over query tokens
   * of the best dot product with any of its tokens. `xtr`: the XTR paper's token retrieval —
   * per query token the `tokenK` best document tokens, missing similarities imputed, the mean
   * over query tokens. Default `maxsim`.
   */
  readonly mode?: SearchMode;
  /** Score only these chunk ids (duplicates and ids the index does not hold are ignored). */
  readonly candidates?: readonly bigint[];
  /** `xtr`: document tokens retrieved per query token (k′). Default `DEFAULT_TOKEN_K`. */
  readonly tokenK?: number;
  /** Query rows kept (the first ones); the rest of a longer query is cut. Default `DEFAULT_MAX_QUERY_TOKENS`. */
  readonly maxQueryTokens?: number;
  /** Attach per query token the chunk token it matched (`SearchHit.matches`). */
  readonly explain?: boolean;
  /** Bytes of the token file read per block (whole chunks; a longer chunk is read alone). Default 8 MiB. */
  readonly blockBytes?: number;
  /** onnxruntime threads for the scoring products. Default: the machine's cores. */
  readonly threads?: number;
}

/** One query token's best match in a hit: the Python reader's explain payload. */
export interface TokenMatch {
  /** Row of the (truncated) query. */
  readonly q_index: number;
  /** Row within the chunk; `null` when `xtr` retrieved none of the chunk's rows and imputed the score. */
  readonly doc_index: number | null;
  readonly similarity: number;
}

/** One scored chunk in a query's results; `rank` counts from 1. */
export interface SearchHit {
  readonly id: bigint;
  readonly score: number;
  readonly rank: number;
  /** With `explain`: one entry per query token, in query order. */
  readonly matches?: readonly TokenMatch[];
}

/** A problem with what the caller asked for or with the index: the message names it and the fix. */
export class SearchError extends Error {
  override readonly name = 'SearchError';
}

/** ColBERT's and XTR's query length: a query keeps at most this many token rows. */
export const DEFAULT_MAX_QUERY_TOKENS = 32;
/** XTR's k′: document tokens retrieved per query token. */
export const DEFAULT_TOKEN_K = 1000;
