export { scoreQueries } from './lib/score-queries';
export {
  DEFAULT_MAX_QUERY_TOKENS,
  DEFAULT_TOKEN_K,
  type ScoreOptions,
  SearchError,
  type SearchHit,
  type SearchMode,
  type TokenMatch,
} from './lib/types';
export { openQueryEncoder, type QueryEncoder } from './lib/query-encoder';
