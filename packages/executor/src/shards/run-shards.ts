import type { ProtectedPath } from '@xtr-nx/storage';
import {
  type BuildOverrides,
  displayPath,
  normalizeBuildOptions,
  type BuildOptions,
} from '../config/normalize-options';
import type { ShardOptions } from '../config/shard-options';
import { ConfigError } from '../config/xtr-config';
import { outputGuards } from '../pipeline/output-guards';
import { reportFailure, type RunLogger } from '../run-logger';
import { mergeShards } from './merge-shards';
import { formatPlan, planShards } from './plan-shards';

/** Overrides that plan and merge take: where the catalog is (plan) and where the index goes (merge). */
export type ShardRunOverrides = Pick<BuildOverrides, 'catalog' | 'table' | 'outputDir'>;

function shardedOptions(configPath: string, overrides: ShardRunOverrides, cwd: string): [BuildOptions, ShardOptions] {
  const options = normalizeBuildOptions(configPath, overrides, cwd);
  if (!options.shards)
    throw new ConfigError(`${options.configPath} has no "shards": set a shard count there to plan and merge shards.`);
  return [options, options.shards];
}

/** `xtr plan` and the plan target: scan the catalog once, publish the shard plan. Returns whether it succeeded. */
export async function runPlan(
  configPath: string,
  overrides: ShardRunOverrides,
  cwd: string,
  logger: RunLogger,
  protect: readonly ProtectedPath[] = [],
): Promise<boolean> {
  try {
    const [options, shards] = shardedOptions(configPath, overrides, cwd);
    const summary = await planShards(options, shards, outputGuards(options, protect));
    logger.info(formatPlan(summary, displayPath(shards.planDir, cwd)));
    return true;
  } catch (error) {
    reportFailure('plan', error, logger);
    return false;
  }
}

/** `xtr merge` and the sharded `xtr-index` target: merge the planned shards into the index. */
export async function runMerge(
  configPath: string,
  overrides: ShardRunOverrides,
  cwd: string,
  logger: RunLogger,
  protect: readonly ProtectedPath[] = [],
): Promise<boolean> {
  try {
    const [options, shards] = shardedOptions(configPath, overrides, cwd);
    const started = performance.now();
    const written = await mergeShards(options, shards, logger, outputGuards(options, protect));
    const seconds = (performance.now() - started) / 1000;
    logger.info(
      `xtr index merged from ${shards.count} shards: ${displayPath(written.outDir, cwd)}\n` +
        `  chunks   ${written.docCount}\n  tokens   ${written.totalTokens}\n` +
        `  files    ${written.files.join(', ')}\n  elapsed  ${seconds.toFixed(2)} s — ${(written.bytes / 2 ** 20 / Math.max(seconds, 1e-3)).toFixed(0)} MiB/s`,
    );
    return true;
  } catch (error) {
    reportFailure('merge', error, logger);
    return false;
  }
}
