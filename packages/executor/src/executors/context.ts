import { join } from 'node:path';
import { type ExecutorContext, logger } from '@nx/devkit';
import { CONFIG_FILE_NAME } from '../config/defaults';
import type { RunLogger } from '../run-logger';

/** What both executors need from Nx, resolved once. */
export interface XtrExecutorContext {
  /** Where Nx runs: relative paths in options and configs given to the executor start here. */
  readonly workspaceRoot: string;
  readonly projectRoot: string;
  /** The `config` option, else the project's own config file; relative to the workspace root. */
  readonly configPath: string;
  /** Nx's logger, verbose when Nx runs with `--verbose`. */
  readonly logger: RunLogger;
}

export function executorContext(config: string | undefined, context: ExecutorContext): XtrExecutorContext {
  const projectRoot = context.projectsConfigurations.projects[context.projectName ?? '']?.root ?? '.';
  return {
    workspaceRoot: context.root,
    projectRoot,
    configPath: config ?? join(projectRoot, CONFIG_FILE_NAME),
    logger: { info: (m) => logger.info(m), error: (m) => logger.error(m), isVerbose: context.isVerbose },
  };
}
