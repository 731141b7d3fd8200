import { dirname, posix } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import { BUILD_EXECUTOR, MANIFEST_FILE, MERGE_EXECUTOR, PLAN_EXECUTOR } from '../../config/defaults';
import {
  MAX_SHARDS,
  PLAN_DIR_NAME,
  PLAN_FILE,
  shardCount,
  shardDirName,
  shardPlanFile,
  shardsDir,
} from '../../config/shard-options';
import type { XtrConfig } from '../../config/xtr-config';
import { INDEX_ENGINES, indexOutputs } from './index-target';
import { catalogInput, CONFIG_INPUT, encoderFileInputs, workspaceToken } from './inputs';
import { externalPackages } from './package-files';
import type { TargetContext } from './xtr-targets';

/** The plan reads the catalog through DuckDB; it never runs the model. */
const PLAN_ENGINES = ['@duckdb/node-api'];

export const planTargetName = (buildTargetName: string) => `${buildTargetName}--plan`;
export const shardTargetName = (buildTargetName: string, shard: number) => `${buildTargetName}--${shardDirName(shard)}`;

/**
 * How many shards the config builds in, or undefined when it builds in one piece. A count the
 * config schema refuses (1, 2.5, "4") gets the unsharded targets, whose build names the problem.
 */
export function shardCountOf(config: Partial<XtrConfig> | undefined): number | undefined {
  const count = shardCount(config?.shards);
  return count !== undefined && Number.isInteger(count) && count >= 2 && count <= MAX_SHARDS ? count : undefined;
}

/**
 * A sharded index as Nx targets: `<build>--plan` scans the catalog once; `<build>--shard-NNN`
 * each build one shard, keyed on that shard's plan file, so an edit to the catalog rebuilds only
 * the shards whose chunks changed; `<build>` merges them into the index an unsharded build makes.
 */
export function shardedIndexTargets(
  configFile: string,
  config: Partial<XtrConfig> | undefined,
  count: number,
  buildTargetName: string,
  context: TargetContext,
): Record<string, TargetConfiguration> {
  const plan = planTargetName(buildTargetName);
  const shards = Array.from({ length: count }, (_, shard) => shardTargetName(buildTargetName, shard));
  return {
    [plan]: planTarget(configFile, config, count, context),
    ...Object.fromEntries(
      shards.map((name, shard) => [name, shardTarget(configFile, config, shard, count, plan, context)]),
    ),
    // `--full` given to the merge reaches the shards, which are what encodes.
    [buildTargetName]: mergeTarget(
      configFile,
      config,
      count,
      [plan, ...shards.map((target) => ({ target, params: 'forward' as const }))],
      context,
    ),
  };
}

/** A folder under the shards folder, as an Nx output: none when it lies outside the workspace. */
function shardsOutputs(configFile: string, config: Partial<XtrConfig> | undefined, name: string): string[] {
  const output = workspaceToken(dirname(configFile), posix.join(shardsDir(config ?? {}), name));
  return output ? [output] : [];
}

function planTarget(
  configFile: string,
  config: Partial<XtrConfig> | undefined,
  count: number,
  context: TargetContext,
): TargetConfiguration {
  const catalogTarget = config?.catalog?.target;
  return {
    executor: PLAN_EXECUTOR,
    options: { config: configFile },
    ...(catalogTarget ? { dependsOn: [catalogTarget] } : {}),
    cache: true,
    inputs: [
      CONFIG_INPUT,
      catalogInput(configFile, catalogTarget, context.workspaceRoot),
      { externalDependencies: externalPackages(context.workspaceRoot, PLAN_ENGINES) },
    ],
    outputs: shardsOutputs(configFile, config, PLAN_DIR_NAME),
    metadata: {
      technologies: ['xtr'],
      description: `Plan the ${count} shards of the XTR index: scan the catalog once and list each shard's chunks`,
      help: { command: `${context.exec} xtr plan --help`, example: { options: { table: 'chunks' } } },
    },
  };
}

function shardTarget(
  configFile: string,
  config: Partial<XtrConfig> | undefined,
  shard: number,
  count: number,
  plan: string,
  context: TargetContext,
): TargetConfiguration {
  return {
    executor: BUILD_EXECUTOR,
    options: { config: configFile, shard },
    dependsOn: [plan],
    cache: true,
    inputs: [
      CONFIG_INPUT,
      ...encoderFileInputs(dirname(configFile), config),
      // The shard's plan file lists its chunk ids and content hashes: all the shard reads from the
      // catalog. Hashing the catalog instead would rebuild every shard on any edit.
      { dependentTasksOutputFiles: `**/${shardPlanFile(shard)}` },
      { externalDependencies: externalPackages(context.workspaceRoot, INDEX_ENGINES) },
    ],
    outputs: shardsOutputs(configFile, config, shardDirName(shard)),
    metadata: {
      technologies: ['xtr'],
      description: `Build shard ${shard} of ${count} of the XTR index`,
      help: { command: `${context.exec} xtr build --help`, example: { options: { threads: 2 } } },
    },
  };
}

function mergeTarget(
  configFile: string,
  config: Partial<XtrConfig> | undefined,
  count: number,
  dependsOn: NonNullable<TargetConfiguration['dependsOn']>,
  context: TargetContext,
): TargetConfiguration {
  return {
    executor: MERGE_EXECUTOR,
    options: { config: configFile },
    // The plan too, not only the shards: Nx hashes the outputs of direct dependencies alone
    // (unless an input says `transitive`), and the merge checks the shards against the plan.
    dependsOn,
    cache: true,
    inputs: [
      CONFIG_INPUT,
      // Each shard's manifest records its token file's SHA-256 and its chunks' content hashes, so
      // it stands for the shard: the key never reads a token matrix.
      { dependentTasksOutputFiles: `**/${MANIFEST_FILE}` },
      { dependentTasksOutputFiles: `**/${PLAN_FILE}` },
      // The merged manifest names the tool's version. Without this input Nx would hash every
      // external package of the workspace instead.
      { externalDependencies: externalPackages(context.workspaceRoot, []) },
    ],
    outputs: indexOutputs(dirname(configFile), config),
    metadata: {
      technologies: ['xtr'],
      description: `Merge the ${count} shards of the XTR index into one index, the bytes of an unsharded build`,
      help: { command: `${context.exec} xtr merge --help`, example: { options: { outputDir: 'dist/xtr/merged' } } },
    },
  };
}
