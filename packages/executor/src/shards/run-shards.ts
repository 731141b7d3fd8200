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

/**
 * Runs one sharded step on a config that has `shards`, printing its report or a clear error.
 * Returns whether it succeeded.
 */
async function runShardStep(
  command: string,
  context: { configPath: string; overrides: ShardRunOverrides; cwd: string; logger: RunLogger },
  step: (options: BuildOptions, shards: ShardOptions) => Promise<string>,
): Promise<boolean> {
  try {
    const [options, shards] = shardedOptions(context.configPath, context.overrides, context.cwd);
    context.logger.info(await step(options, shards));
    return true;
  } catch (error) {
    reportFailure(command, error, context.logger);
    return false;
  }
}

/** `xtr plan` and the plan target: scan the catalog once, publish the shard plan. */
export function runPlan(
  configPath: string,
  overrides: ShardRunOverrides,
  cwd: string,
  logger: RunLogger,
  protect: readonly ProtectedPath[] = [],
): Promise<boolean> {
  return runShardStep('plan', { configPath, overrides, cwd, logger }, async (options, shards) =>
    formatPlan(await planShards(options, shards, outputGuards(options, protect)), displayPath(shards.planDir, cwd)),
  );
}

/** `xtr merge` and the sharded `xtr-index` target: merge the planned shards into the index. */
export function runMerge(
  configPath: string,
  overrides: ShardRunOverrides,
  cwd: string,
  logger: RunLogger,
  protect: readonly ProtectedPath[] = [],
): Promise<boolean> {
  return runShardStep('merge', { configPath, overrides, cwd, logger }, async (options, shards) => {
    const started = performance.now();
    const written = await mergeShards(options, shards, logger, outputGuards(options, protect));
    const seconds = (performance.now() - started) / 1000;
    const rate = written.bytes / 2 ** 20 / Math.max(seconds, 1e-3);
    return [
      `xtr index merged from ${shards.count} shards: ${displayPath(written.outDir, cwd)}`,
      `  chunks   ${written.docCount}`,
      `  tokens   ${written.totalTokens}`,
      `  files    ${written.files.join(', ')}`,
      `  elapsed  ${seconds.toFixed(2)} s — ${rate.toFixed(0)} MiB/s`,
    ].join('\n');
  });
}
