import type { ExecutorContext } from '@nx/devkit';
import { runMerge } from '../../shards/run-shards';
import { executorContext } from '../context';
import type { MergeExecutorSchema } from './schema';

/** `@xtr-nx/executor:merge`: merges the planned shards of a sharded config into its index. */
export default async function mergeExecutor(
  options: MergeExecutorSchema,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  // `full` is for the shards Nx forwards it to; a merge encodes nothing.
  const { config, full: _full, ...overrides } = options;
  const { workspaceRoot, configPath, logger, protect } = executorContext(config, context);
  return { success: await runMerge(configPath, overrides, workspaceRoot, logger, protect) };
}
