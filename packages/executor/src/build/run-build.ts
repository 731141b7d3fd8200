import { buildIndex } from './build-index';
import { formatSummary } from './build-summary';
import { type BuildOverrides, displayPath, normalizeBuildOptions } from '../config/normalize-options';
import type { BuildLogger } from './progress';

/** Errors whose message already names the problem and the fix: no stack trace needed. */
const USER_ERRORS = new Set(['BuildError', 'CatalogError', 'ConfigError', 'EncoderError', 'StorageError', 'TextEncodingError']);

export interface RunBuildLogger extends BuildLogger {
  error(message: string): void;
}

/**
 * What both the Nx executor and the `xtr build` command do: resolve options, build, print the
 * summary or a clear error. Returns whether the build succeeded.
 */
export async function runBuild(
  configPath: string,
  overrides: BuildOverrides,
  cwd: string,
  logger: RunBuildLogger,
): Promise<boolean> {
  try {
    const options = normalizeBuildOptions(configPath, overrides, cwd);
    const summary = await buildIndex(options, logger);
    logger.info(formatSummary(summary, (path) => displayPath(path, cwd)));
    return true;
  } catch (error) {
    const err = error as Error;
    logger.error(USER_ERRORS.has(err.name) ? `xtr build failed: ${err.message}` : `xtr build failed: ${err.stack ?? err}`);
    return false;
  }
}
