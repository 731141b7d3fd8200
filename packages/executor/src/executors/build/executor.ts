import { join } from 'node:path';
import { type ExecutorContext, logger } from '@nx/devkit';
import { runBuild } from '../../pipeline/run-build';
import { CONFIG_FILE_NAME } from '../../config/xtr-config';
import type { BuildExecutorSchema } from './schema';

/** `@xtr-nx/executor:build`: builds the project's XTR index. */
export default async function buildExecutor(
  options: BuildExecutorSchema,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const { config, ...overrides } = options;
  const projects = context.projectsConfigurations.projects;
  const projectRoot = projects[context.projectName ?? '']?.root ?? '.';
  const log = { info: (m: string) => logger.info(m), error: (m: string) => logger.error(m), isVerbose: context.isVerbose };
  // An output folder that is or holds a project would take the project with it when replaced.
  const protect = [
    { path: context.root, what: 'the workspace root' },
    ...Object.entries(projects).map(([name, project]) => ({ path: join(context.root, project.root), what: `the root of project ${name}` })),
  ];
  const success = await runBuild(config ?? join(projectRoot, CONFIG_FILE_NAME), overrides, context.root, log, protect);
  return { success };
}
