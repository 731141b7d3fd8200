import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type CreateNodes, type CreateNodesResult, createNodesFromFiles } from '@nx/devkit';
import { hashObject, PluginCache, workspaceDataDirectory } from '@nx/devkit/internal';
import { CONFIG_FILE_NAME } from '../config/defaults';
import type { XtrConfig } from '../config/xtr-config';
import { TOOL } from '../tool';
import {
  type NormalizedPluginOptions,
  normalizePluginOptions,
  type XtrPluginOptions,
} from './normalize-plugin-options';
import { createXtrTargets, type XtrTargets } from './targets/xtr-targets';
import { Workspace } from './workspace';

export type { XtrPluginOptions };

const configGlob = `**/${CONFIG_FILE_NAME}`;

/**
 * Infers `xtr-index` and `xtr-verify` for every project with an `xtr.config.json`; for a config
 * with `shards`, `xtr-index` merges the shards that `xtr-index--shard-NNN` build from the plan of
 * `xtr-index--plan`. Reads JSON only (never the catalog or the model), and caches results keyed
 * on each config's content.
 */
export const createNodes: CreateNodes<XtrPluginOptions> = [
  configGlob,
  async (configFiles, options, context) => {
    const normalized = normalizePluginOptions(options);
    const cache = new PluginCache<XtrTargets>(join(workspaceDataDirectory, `xtr-${hashObject(normalized)}.hash`));
    const workspace = new Workspace(context.workspaceRoot);
    try {
      return await createNodesFromFiles(
        (configFile) => createNodesInternal(configFile, normalized, workspace, cache),
        configFiles,
        normalized,
        context,
      );
    } finally {
      cache.writeToDisk();
    }
  },
];

/** The deprecated name Nx still reads; kept so that configurations importing it keep working. */
export const createNodesV2 = createNodes;

function createNodesInternal(
  configFile: string,
  options: NormalizedPluginOptions,
  workspace: Workspace,
  cache: PluginCache<XtrTargets>,
): CreateNodesResult {
  const projectRoot = dirname(configFile);
  if (!isProjectRoot(projectRoot, workspace.root)) return {};
  const text = readFileSync(join(workspace.root, configFile), 'utf8');
  // The runtime input names the xtr bin by its path from the workspace root, and help names the
  // package manager: both belong in the key beside the config itself.
  const { root, packageManager } = workspace;
  const key = hashObject({ text, configFile, root, packageManager, options, version: TOOL.version });
  let targets = cache.get(key);
  if (!targets) {
    targets = createXtrTargets(configFile, parseLeniently(text), options, workspace.targetContext());
    cache.set(key, targets);
  }
  return { projects: { [projectRoot]: targets } };
}

/** Only folders Nx already knows as projects get targets; a stray config elsewhere is ignored. */
function isProjectRoot(projectRoot: string, workspaceRoot: string): boolean {
  return ['project.json', 'package.json'].some((file) => existsSync(join(workspaceRoot, projectRoot, file)));
}

/** A broken config still yields targets: running them reports the precise problem. */
function parseLeniently(text: string): Partial<XtrConfig> | undefined {
  try {
    return JSON.parse(text) as Partial<XtrConfig>;
  } catch {
    return undefined;
  }
}
