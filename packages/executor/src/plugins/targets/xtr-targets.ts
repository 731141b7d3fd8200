import type { ProjectConfiguration } from '@nx/devkit';
import type { XtrConfig } from '../../config/xtr-config';
import type { NormalizedPluginOptions } from '../normalize-plugin-options';
import { indexTarget } from './index-target';
import { shardCountOf, shardedIndexTargets } from './sharded-targets';
import { verifyTarget } from './verify-target';

export type XtrTargets = Pick<ProjectConfiguration, 'targets' | 'metadata'>;

/** What targets depend on beyond the config: where the workspace is, and how it runs package bins. */
export interface TargetContext {
  readonly workspaceRoot: string;
  /** The package manager's command for a package bin (`npx`, `pnpm exec`, `yarn`…), for help text. */
  readonly exec: string;
}

/** How Nx shows a sharded index's targets together (`nx show project`, Nx Console). */
export const TARGET_GROUP = 'XTR index';

/**
 * The targets of a project whose config file is `configFile` (workspace-relative): the index and
 * its verification; for a sharded config the index is the merge of a plan and its shards.
 */
export function createXtrTargets(
  configFile: string,
  config: Partial<XtrConfig> | undefined,
  options: NormalizedPluginOptions,
  context: TargetContext,
): XtrTargets {
  const { buildTargetName, verifyTargetName } = options;
  const count = shardCountOf(config);
  const index =
    count === undefined
      ? { [buildTargetName]: indexTarget(configFile, config, context) }
      : shardedIndexTargets(configFile, config, count, buildTargetName, context);
  const targets = { ...index, [verifyTargetName]: verifyTarget(configFile, buildTargetName, context) };
  if (count === undefined) return { targets };
  return { targets, metadata: { targetGroups: { [TARGET_GROUP]: Object.keys(targets) } } };
}
