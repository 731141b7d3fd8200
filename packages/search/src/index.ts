export { scoreExhaustive, type ScoreOptions } from './lib/maxsim';
export type { SearchHit } from './lib/top-k';
