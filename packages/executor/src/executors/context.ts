import { join } from 'node:path';
import { type ExecutorContext, logger } from '@nx/devkit';
import type { ProtectedPath } from '@xtr-nx/storage';
import { CONFIG_FILE_NAME } from '../config/defaults';
import type { RunLogger } from '../run-logger';

/** What the executors need from Nx, resolved once. */
export interface XtrExecutorContext {
  /** Where Nx runs: relative paths in options and configs given to the executor start here. */
  readonly workspaceRoot: string;
  readonly projectRoot: string;
  /** The `config` option, else the project's own config file; relative to the workspace root. */
  readonly configPath: string;
  /** Nx's logger, verbose when Nx runs with `--verbose`. */
  readonly logger: RunLogger;
  /**
   * Folders an output must never be or contain: the workspace root and every project's root. A
   * folder the build, plan or merge replaces would take a project with it.
   */
  readonly protect: readonly ProtectedPath[];
}

export function executorContext(config: string | undefined, context: ExecutorContext): XtrExecutorContext {
  const { projects } = context.projectsConfigurations;
  const projectRoot = projects[context.projectName ?? '']?.root ?? '.';
  return {
    workspaceRoot: context.root,
    projectRoot,
    configPath: config ?? join(projectRoot, CONFIG_FILE_NAME),
    logger: { info: (m) => logger.info(m), error: (m) => logger.error(m), isVerbose: context.isVerbose },
    protect: [
      { path: context.root, what: 'the workspace root' },
      ...Object.entries(projects).map(([name, project]) => ({
        path: join(context.root, project.root),
        what: `the root of project ${name}`,
      })),
    ],
  };
}
