import type { SearchMode } from '@xtr-nx/search';

/** What `xtr search` was asked, as parsed from the command line. */
export interface SearchRequest {
  readonly queries: readonly string[];
  readonly k: number;
  readonly mode: SearchMode;
  /** Rescore only these chunk ids. */
  readonly candidates?: readonly bigint[];
  readonly tokenK?: number;
  readonly maxQueryTokens?: number;
  readonly explain?: boolean;
  readonly json?: boolean;
  /** Index folder (default: the config's output folder). */
  readonly dir?: string;
}

/** One hit as printed: the index's score and match, with where the chunk comes from when the catalog says. */
export interface ShownHit {
  readonly query: string;
  readonly rank: number;
  readonly id: bigint;
  readonly score: number;
  readonly uri: string | null;
  readonly startLine: number | null;
  readonly endLine: number | null;
  readonly preview: string | null;
  readonly matches?: readonly ShownMatch[];
}

/** A query token's match, with the tokens as people read them when they are known. */
export interface ShownMatch {
  readonly q_index: number;
  readonly doc_index: number | null;
  readonly similarity: number;
  readonly q_token?: string;
  /** The chunk's token; null when the catalog's text is not the one indexed (or none was matched). */
  readonly doc_token?: string | null;
}
