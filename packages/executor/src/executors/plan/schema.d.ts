import type { ShardRunOverrides } from '../../shards/run-shards';

export interface PlanExecutorSchema extends Pick<ShardRunOverrides, 'catalog' | 'table'> {
  /** Path to xtr.config.json, relative to the workspace root. */
  config?: string;
}
