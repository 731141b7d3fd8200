import type { ShardRunOverrides } from '../../shards/run-shards';

export interface MergeExecutorSchema extends ShardRunOverrides {
  /** Path to xtr.config.json, relative to the workspace root. */
  config?: string;
  /** Forwarded to the shard targets, which encode; the merge ignores it. */
  full?: boolean;
}
