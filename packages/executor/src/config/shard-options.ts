import { join, resolve } from 'node:path';
import { DEFAULT_OUTPUT_DIR } from './defaults';
import type { XtrConfig } from './xtr-config';

/** Where a sharded build's plan and shards live, resolved. */
export interface ShardOptions {
  readonly count: number;
  /** The plan's folder: `xtr.plan.json` and one `xtr.shard-NNN.json` per shard. */
  readonly planDir: string;
  /** Shard `shard`'s index folder. */
  shardDir(shard: number): string;
}

/** Folder names under the shards folder; the plugin names outputs with the same. */
export const PLAN_DIR_NAME = 'plan';
export const shardDirName = (shard: number) => `shard-${String(shard).padStart(3, '0')}`;

/**
 * Files the plan publishes: `xtr.plan.json` for the merge, and per shard its chunk ids and
 * content hashes, the exact key of that shard's build (storage knows both names as its own).
 */
export const PLAN_FILE = 'xtr.plan.json';
export const shardPlanFile = (shard: number) => `xtr.${shardDirName(shard)}.json`;

/** The most shards a config may ask for (the config schema's bound). */
export const MAX_SHARDS = 256;

/** The shards folder, relative to the config's folder: `shards.dir`, else `<output.dir>-shards`. */
export function shardsDir(config: Partial<Pick<XtrConfig, 'shards' | 'output'>>): string {
  const { shards } = config;
  const explicit = typeof shards === 'object' ? shards.dir : undefined;
  return explicit ?? `${(config.output?.dir ?? DEFAULT_OUTPUT_DIR).replace(/\/+$/, '')}-shards`;
}

export const shardCount = (shards: XtrConfig['shards']): number | undefined =>
  typeof shards === 'number' ? shards : shards?.count;

/** A config's shard layout, or undefined when it builds in one piece. */
export function resolveShardOptions(config: XtrConfig, configDir: string): ShardOptions | undefined {
  const count = shardCount(config.shards);
  if (count === undefined) return undefined;
  const dir = resolve(configDir, shardsDir(config));
  return { count, planDir: join(dir, PLAN_DIR_NAME), shardDir: (shard) => join(dir, shardDirName(shard)) };
}
