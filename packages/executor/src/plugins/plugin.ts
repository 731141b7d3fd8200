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
  /** Name of the inferred verify target (default `xtr-verify`). */
  verifyTargetName?: string;
}

/** Native engines whose versions change the vectors or how catalogs are read. */
const ENGINE_PACKAGES = ['onnxruntime-node', 'tokenizers', '@duckdb/node-api'];

function normalizePluginOptions(options: XtrPluginOptions | undefined): Required<XtrPluginOptions> {
  return { buildTargetName: options?.buildTargetName ?? 'xtr-index', verifyTargetName: options?.verifyTargetName ?? 'xtr-verify' };
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

  const inputs: TargetConfiguration['inputs'] = [
    `{projectRoot}/${CONFIG_FILE_NAME}`,
    ...fileInputs(projectRoot, config),
    { externalDependencies: ENGINE_PACKAGES },
  ];
  const build: TargetConfiguration = {
    executor: '@xtr-nx/executor:build',
    options: { config: configFile },
    cache: true,
    inputs,
    outputs: [workspaceToken(projectRoot, config?.output?.dir ?? DEFAULT_OUTPUT_DIR)].filter((o) => o !== undefined),
    metadata: {
      technologies: ['xtr'],
      description: 'Build the XTR token index (tokens.f16|f32 + index.meta.json) from the DuckDB chunk catalog',
    },
  };
  const verify: TargetConfiguration = {
    executor: '@xtr-nx/executor:verify',
    options: { config: configFile },
    dependsOn: [options.buildTargetName],
    cache: true,
    // The index it checks and the catalog it compares with: the build's inputs and outputs.
    inputs: [...inputs, { dependentTasksOutputFiles: '**/*' }],
    outputs: [],
    metadata: {
      technologies: ['xtr'],
      description: 'Verify the XTR index: format, checksum, finite unit-norm rows, and that it holds exactly the catalog',
    },
  };
  return { projects: { [projectRoot]: { targets: { [options.buildTargetName]: build, [options.verifyTargetName]: verify } } } };
}

/**
 * A config path (relative to the project) as an Nx path token: `{projectRoot}/…` inside the
 * project, `{workspaceRoot}/…` elsewhere in the workspace, undefined outside it.
 */
function workspaceToken(projectRoot: string, path: string | undefined): string | undefined {
  if (path === undefined || posix.isAbsolute(path)) return undefined;
  const inProject = posix.normalize(path);
  if (!inProject.startsWith('..')) return `{projectRoot}/${inProject}`;
  const inWorkspace = posix.normalize(posix.join(projectRoot, path));
  return inWorkspace.startsWith('..') ? undefined : `{workspaceRoot}/${inWorkspace}`;
}

/** The catalog, model, tokenizer and projection files the config names, as Nx inputs. */
function fileInputs(projectRoot: string, config: Partial<XtrConfig> | undefined): string[] {
  const model = config?.encoder?.model;
  const paths = [
    config?.catalog?.path,
    model?.startsWith('builtin:') ? undefined : model,
    config?.encoder?.tokenizer,
    config?.encoder?.projection,
  ];
  return paths.map((path) => workspaceToken(projectRoot, path)).filter((input) => input !== undefined);
}

/** A broken config still yields a target: running it reports the precise problem. */
function readConfigLeniently(path: string): Partial<XtrConfig> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Partial<XtrConfig>;
  } catch {
    return undefined;
  }
}
