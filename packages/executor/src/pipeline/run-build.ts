import { type BuildOverrides, displayPath, normalizeBuildOptions } from '../config/normalize-options';
import { reportFailure, type RunLogger } from '../run-logger';
import { buildIndex } from './build-index';
import { formatStages, formatSummary } from './build-summary';

/**
 * What both the Nx executor and the `xtr build` command do: resolve options, build, print the
 * summary or a clear error. Returns whether the build succeeded.
 */
export async function runBuild(configPath: string, overrides: BuildOverrides, cwd: string, logger: RunLogger): Promise<boolean> {
  try {
    const options = normalizeBuildOptions(configPath, overrides, cwd);
    const summary = await buildIndex(options, logger);
    logger.info(formatSummary(summary, (path) => displayPath(path, cwd)));
    if (logger.isVerbose) logger.info(`  stages   ${formatStages(summary)}`);
    return true;
  } catch (error) {
    reportFailure('build', error, logger);
    return false;
  }
}
