import type { ProtectedPath } from '@xtr-nx/storage';
import { type BuildOverrides, displayPath, normalizeBuildOptions } from '../config/normalize-options';
import { reportFailure, type RunLogger } from '../run-logger';
import { buildIndex } from './build-index';
import { formatStages, formatSummary } from './build-summary';
import { Interrupted, trapInterrupts } from './interrupts';

/**
 * What both the Nx executor and the `xtr build` command do: resolve options, build, print the
 * summary or a clear error. Returns whether the build succeeded. On SIGINT/SIGTERM the build
 * removes its staging folder, one line says so, and the process exits with 130/143.
 */
export async function runBuild(
  configPath: string,
  overrides: BuildOverrides,
  cwd: string,
  logger: RunLogger,
  protect: readonly ProtectedPath[] = [],
): Promise<boolean> {
  const interrupts = trapInterrupts();
  let outputDir: string | undefined;
  try {
    const options = normalizeBuildOptions(configPath, overrides, cwd);
    outputDir = options.outputDir;
    const summary = await buildIndex(options, logger, { protect, signal: interrupts.signal });
    logger.info(formatSummary(summary, (path) => displayPath(path, cwd)));
    // Store trouble never fails a build, but the user should know why later builds encode more.
    for (const warning of summary.store?.warnings ?? []) logger.info(`warning: ${warning}`);
    if (logger.isVerbose) logger.info(`  stages   ${formatStages(summary)}`);
    return true;
  } catch (error) {
    if (error instanceof Interrupted) {
      const kept = outputDir ? `; ${displayPath(outputDir, cwd)} keeps its previous index, if it had one` : '';
      logger.error(`xtr build ${error.message}: nothing was published and the unfinished index was removed${kept}.`);
      // The model may still be running a batch it will never hand back: end the process now.
      process.exit(error.exitCode);
    }
    reportFailure('build', error, logger);
    return false;
  } finally {
    interrupts.dispose();
  }
}
