import type { ExecutorContext } from '@nx/devkit';
import { runPlan } from '../../shards/run-shards';
import { executorContext } from '../context';
import type { PlanExecutorSchema } from './schema';

/** `@xtr-nx/executor:plan`: scans the catalog once and publishes the shard plan of a sharded config. */
export default async function planExecutor(
  options: PlanExecutorSchema,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const { config, ...overrides } = options;
  const { workspaceRoot, configPath, logger, protect } = executorContext(config, context);
  return { success: await runPlan(configPath, overrides, workspaceRoot, logger, protect) };
}
