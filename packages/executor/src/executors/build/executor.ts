import type { ExecutorContext } from '@nx/devkit';
import { runBuild } from '../../pipeline/run-build';
import { executorContext } from '../context';
import type { BuildExecutorSchema } from './schema';

/** `@xtr-nx/executor:build`: builds the project's XTR index, or one shard of a sharded config. */
export default async function buildExecutor(
  options: BuildExecutorSchema,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const { config, ...overrides } = options;
  const { workspaceRoot, configPath, logger, protect } = executorContext(config, context);
  return { success: await runBuild(configPath, overrides, workspaceRoot, logger, protect) };
}
