import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { IndexReader, ITEM_SIZE, TOKENS_FILE } from '@xtr-nx/storage';
import { candidatePositions } from './candidates';
import { MaxSimReducer } from './maxsim-reducer';
import { stackQueries } from './queries';
import type { Reducer } from './reducer';
import { scanBlocks } from './scan-blocks';
import { TokenProducts } from './token-products';
import {
  DEFAULT_MAX_QUERY_TOKENS,
  DEFAULT_TOKEN_K,
  type ScoreOptions,
  SearchError,
  type SearchHit,
  type SearchMode,
} from './types';
import { XtrReducer } from './xtr-reducer';

const DEFAULT_BLOCK_BYTES = 8 * 1024 * 1024;
/** Products kept per block (float32 values): bounds the block's rows when a batch has many query rows. */
const MAX_PRODUCTS = 8 * 1024 * 1024;
const MODES: readonly SearchMode[] = ['maxsim', 'xtr'];

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    throw new SearchError(`${name} must be a positive integer, got ${String(value)}.`);
  return value;
}

/**
 * Scores the chunks of the index at `index` (a folder, or a reader the caller opened and keeps
 * open) — or only `candidates` — against each query and returns
 * per query its best `k` hits, highest score first, ties by ascending id. `queries[q]` holds
 * `[tokens, dim]` float32 rows as the index's encoder produced them; rows are cut to
 * `maxQueryTokens` and L2-normalised here. The token file is read once for the whole batch, in
 * blocks of whole chunks, so memory stays bounded whatever the index size.
 */
export async function scoreQueries(
  index: string | IndexReader,
  queries: readonly Float32Array[],
  options: ScoreOptions,
): Promise<SearchHit[][]> {
  const k = positiveInteger('k', options.k);
  const mode = options.mode ?? 'maxsim';
  if (!MODES.includes(mode)) throw new SearchError(`mode must be one of ${MODES.join(', ')}, got ${String(mode)}.`);
  const tokenK = positiveInteger('tokenK', options.tokenK ?? DEFAULT_TOKEN_K);
  const maxQueryTokens = positiveInteger('maxQueryTokens', options.maxQueryTokens ?? DEFAULT_MAX_QUERY_TOKENS);
  const blockBytes = positiveInteger('blockBytes', options.blockBytes ?? DEFAULT_BLOCK_BYTES);
  const threads = positiveInteger('threads', options.threads ?? availableParallelism());
  if (queries.length === 0) return [];

  const reader = typeof index === 'string' ? IndexReader.open(index) : index;
  try {
    const { meta } = reader;
    const stacked = stackQueries(queries, meta.dim, maxQueryTokens);
    const positions = options.candidates && candidatePositions(meta, options.candidates);
    const reducer: Reducer =
      mode === 'xtr' ? new XtrReducer(meta, stacked, k, tokenK) : new MaxSimReducer(reader, stacked, k);
    const { groupRows } = reducer;
    const products = await TokenProducts.create(meta.dtype, meta.dim, stacked.matrix, threads, groupRows);
    try {
      const rowBytes = meta.dim * ITEM_SIZE[meta.dtype];
      const maxRows = Math.max(1, Math.min(Math.floor(blockBytes / rowBytes), Math.floor(MAX_PRODUCTS / stacked.rows)));
      for await (const block of scanBlocks(join(reader.dir, TOKENS_FILE[meta.dtype]), meta, positions, {
        maxRows,
        groupRows,
      })) {
        if (block.rows > 0) reducer.add(block, await products.of(block.data, block.rows));
      }
    } finally {
      await products.close();
    }
    return reducer.hits(options.explain === true);
  } finally {
    if (reader !== index) reader.close();
  }
}
