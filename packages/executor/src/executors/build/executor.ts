import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { runBuild } from '../../pipeline/run-build';
import { executorContext } from '../context';
import type { BuildExecutorSchema } from './schema';

/** `@xtr-nx/executor:build`: builds the project's XTR index. */
export default async function buildExecutor(
  options: BuildExecutorSchema,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const { config, ...overrides } = options;
  const { workspaceRoot, configPath, logger } = executorContext(config, context);
  // An output folder that is or holds a project would take the project with it when replaced.
  const protect = [
    { path: workspaceRoot, what: 'the workspace root' },
    ...Object.entries(context.projectsConfigurations.projects).map(([name, project]) => ({
      path: join(workspaceRoot, project.root),
      what: `the root of project ${name}`,
    })),
  ];
  const success = await runBuild(configPath, overrides, workspaceRoot, logger, protect);
  return { success };
}
