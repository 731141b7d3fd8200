import {
  detectPackageManager,
  getPackageManagerCommand,
  logger,
  readProjectConfiguration,
  type Tree,
  updateProjectConfiguration,
} from '@nx/devkit';
import type { XtrConfig } from '../../config/xtr-config';
import { normalizePluginOptions } from '../../plugins/normalize-plugin-options';
import { createXtrTargets } from '../../plugins/targets/xtr-targets';

/**
 * The targets the plugin would infer, written into the project: for workspaces without inferred
 * targets. Targets the project already has are kept as they are.
 */
export function addExplicitTargets(tree: Tree, projectName: string, configFile: string, config: XtrConfig): void {
  const project = readProjectConfiguration(tree, projectName);
  const exec = getPackageManagerCommand(detectPackageManager(tree.root), tree.root).exec;
  const { targets } = createXtrTargets(configFile, config, normalizePluginOptions(undefined), {
    workspaceRoot: tree.root,
    exec,
  });
  project.targets ??= {};
  for (const [name, { metadata: _inferenceOnly, ...target }] of Object.entries(targets ?? {})) {
    if (project.targets[name]) logger.warn(`${projectName} already has a target named ${name}; left as it is.`);
    else project.targets[name] = target;
  }
  updateProjectConfiguration(tree, projectName, project);
}
