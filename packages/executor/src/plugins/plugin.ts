import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import {
  type CreateNodesContext,
  type CreateNodesResult,
  type CreateNodesV2,
  createNodesFromFiles,
  type TargetConfiguration,
} from '@nx/devkit';
import { DEFAULT_OUTPUT_DIR } from '../config/normalize-options';
import { CONFIG_FILE_NAME, type XtrConfig } from '../config/xtr-config';

export interface XtrPluginOptions {
  /** Name of the inferred build target (default `xtr-index`). */
  buildTargetName?: string;
}

/** Native engines whose versions change the vectors or how catalogs are read. */
const ENGINE_PACKAGES = ['onnxruntime-node', '@duckdb/node-api'];

function normalizePluginOptions(options: XtrPluginOptions | undefined): Required<XtrPluginOptions> {
  return { buildTargetName: options?.buildTargetName ?? 'xtr-index' };
}

/**
 * Infers an XTR index target for every project with an `xtr.config.json`. Reads JSON only: it
 * never opens the catalog or the model, so graph computation stays fast.
 */
export const createNodesV2: CreateNodesV2<XtrPluginOptions> = [
  `**/${CONFIG_FILE_NAME}`,
  (configFiles, options, context) =>
    createNodesFromFiles((file, opts, ctx) => createNodesForConfig(file, normalizePluginOptions(opts), ctx), configFiles, options ?? {}, context),
];

/** Nx 23 loads plugins through `createNodes`; both names carry the same v2 implementation. */
export const createNodes = createNodesV2;

function createNodesForConfig(
  configFile: string,
  options: Required<XtrPluginOptions>,
  context: CreateNodesContext,
): CreateNodesResult {
  const projectRoot = dirname(configFile);
  const isProject = ['project.json', 'package.json'].some((f) => existsSync(join(context.workspaceRoot, projectRoot, f)));
  if (!isProject) return {};
  const config = readConfigLeniently(join(context.workspaceRoot, configFile));
  const fromProject = (p: string) => posix.normalize(posix.join('{projectRoot}', p));

  const target: TargetConfiguration = {
    executor: '@xtr-nx/executor:build',
    options: { config: configFile },
    cache: true,
    inputs: [
      fromProject(CONFIG_FILE_NAME),
      ...(config?.catalog?.path ? [fromProject(config.catalog.path)] : []),
      { externalDependencies: ENGINE_PACKAGES },
    ],
    outputs: [fromProject(config?.output?.dir ?? DEFAULT_OUTPUT_DIR)],
    metadata: {
      technologies: ['xtr'],
      description: 'Build the XTR token index (tokens.f16|f32 + index.meta.json) from the DuckDB chunk catalog',
    },
  };
  return { projects: { [projectRoot]: { targets: { [options.buildTargetName]: target } } } };
}

/** A broken config still yields a target: running it reports the precise problem. */
function readConfigLeniently(path: string): Partial<XtrConfig> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Partial<XtrConfig>;
  } catch {
    return undefined;
  }
}
