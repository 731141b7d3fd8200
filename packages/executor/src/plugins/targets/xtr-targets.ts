import type { ProjectConfiguration } from '@nx/devkit';
import type { XtrConfig } from '../../config/xtr-config';
import type { NormalizedPluginOptions } from '../normalize-plugin-options';
import { indexTarget } from './index-target';
import { verifyTarget } from './verify-target';

export type XtrTargets = Pick<ProjectConfiguration, 'targets'>;

/** What targets depend on beyond the config: where the workspace is, and how it runs package bins. */
export interface TargetContext {
  readonly workspaceRoot: string;
  /** The package manager's command for a package bin (`npx`, `pnpm exec`, `yarn`…), for help text. */
  readonly exec: string;
}

/** Both targets of a project whose config file is `configFile` (workspace-relative). */
export function createXtrTargets(
  configFile: string,
  config: Partial<XtrConfig> | undefined,
  options: NormalizedPluginOptions,
  context: TargetContext,
): XtrTargets {
  return {
    targets: {
      [options.buildTargetName]: indexTarget(configFile, config, context),
      [options.verifyTargetName]: verifyTarget(configFile, options.buildTargetName, context),
    },
  };
}
