import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import {
  type CreateNodesContext,
  type CreateNodesResult,
  type CreateNodesV2,
  createNodesFromFiles,
  type TargetConfiguration,
} from '@nx/devkit';
import { hashObject, PluginCache, workspaceDataDirectory } from '@nx/devkit/internal';
import { DEFAULT_OUTPUT_DIR } from '../config/normalize-options';
import { CONFIG_FILE_NAME, type XtrConfig } from '../config/xtr-config';
import { TOOL } from '../tool';

export interface XtrPluginOptions {
  /** Name of the inferred build target (default `xtr-index`). */
  buildTargetName?: string;
  /** Name of the inferred verify target (default `xtr-verify`). */
  verifyTargetName?: string;
}

type NormalizedOptions = Required<XtrPluginOptions>;
type ProjectTargets = Record<string, TargetConfiguration>;

/** Native engines whose versions change the vectors or how catalogs are read. */
const ENGINE_PACKAGES = ['onnxruntime-node', 'tokenizers', '@duckdb/node-api'];
const PACKAGE_ROOT = join(__dirname, '../..');

function normalizePluginOptions(options: XtrPluginOptions | undefined): NormalizedOptions {
  return { buildTargetName: options?.buildTargetName ?? 'xtr-index', verifyTargetName: options?.verifyTargetName ?? 'xtr-verify' };
}

/**
 * Infers `xtr-index` and `xtr-verify` for every project with an `xtr.config.json`. Reads JSON
 * only (never the catalog or the model), and caches results keyed on each config's content.
 */
export const createNodesV2: CreateNodesV2<XtrPluginOptions> = [
  `**/${CONFIG_FILE_NAME}`,
  async (configFiles, options, context) => {
    const normalized = normalizePluginOptions(options);
    const cache = new PluginCache<ProjectTargets>(join(workspaceDataDirectory, `xtr-${hashObject(normalized)}.hash`));
    try {
      return await createNodesFromFiles((file) => createNodesForConfig(file, normalized, context, cache), configFiles, normalized, context);
    } finally {
      cache.writeToDisk();
    }
  },
];

/** Nx 23 loads plugins through `createNodes`; both names carry the same v2 implementation. */
export const createNodes = createNodesV2;

function createNodesForConfig(configFile: string, options: NormalizedOptions, context: CreateNodesContext, cache: PluginCache<ProjectTargets>): CreateNodesResult {
  const projectRoot = dirname(configFile);
  const isProject = ['project.json', 'package.json'].some((f) => existsSync(join(context.workspaceRoot, projectRoot, f)));
  if (!isProject) return {};
  const text = readFileSync(join(context.workspaceRoot, configFile), 'utf8');
  // The runtime input's path to the xtr bin depends on where the workspace is.
  const key = hashObject({ text, configFile, workspaceRoot: context.workspaceRoot, tool: TOOL.version });
  let targets = cache.get(key);
  if (!targets) {
    targets = inferTargets(configFile, parseLeniently(text), options, context.workspaceRoot);
    cache.set(key, targets);
  }
  return { projects: { [projectRoot]: { targets } } };
}

function inferTargets(configFile: string, config: Partial<XtrConfig> | undefined, options: NormalizedOptions, workspaceRoot: string): ProjectTargets {
  const projectRoot = dirname(configFile);
  const catalogTarget = config?.catalog?.target;
  const inputs: TargetConfiguration['inputs'] = [
    `{projectRoot}/${CONFIG_FILE_NAME}`,
    ...encoderFileInputs(projectRoot, config),
    // Catalogs are usually git-ignored build products, which Nx leaves out of file hashes:
    // hash the producing target's outputs, or a digest of the catalog's rows.
    catalogTarget ? { dependentTasksOutputFiles: '**/*' } : { runtime: fingerprintCommand(configFile, workspaceRoot) },
    { externalDependencies: externalPackages(workspaceRoot) },
  ];
  const output = workspaceToken(projectRoot, config?.output?.dir ?? DEFAULT_OUTPUT_DIR);
  return {
    [options.buildTargetName]: {
      executor: '@xtr-nx/executor:build',
      options: { config: configFile },
      ...(catalogTarget ? { dependsOn: [catalogTarget] } : {}),
      cache: true,
      inputs,
      outputs: output ? [output] : [],
      metadata: {
        technologies: ['xtr'],
        description: 'Build the XTR token index (tokens.f16|f32 + index.meta.json) from the DuckDB chunk catalog',
        help: { command: 'npx xtr build --help', example: { options: { dtype: 'float32', batchSize: 16 } } },
      },
    },
    [options.verifyTargetName]: {
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
        help: { command: 'npx xtr verify --help', example: { options: { checkCatalog: false } } },
      },
    },
  };
}

/** `node <xtr bin> fingerprint …`, relative to the workspace root where Nx runs runtime inputs. */
function fingerprintCommand(configFile: string, workspaceRoot: string): string {
  const bin = relative(workspaceRoot, join(PACKAGE_ROOT, 'bin/xtr.js')).split('\\').join('/');
  return `node ${JSON.stringify(bin)} fingerprint --cache-key --config ${JSON.stringify(configFile)}`;
}

/**
 * The engines, plus this plugin when it is installed from the registry. When the workspace is
 * this plugin's own source, it is a project, not an npm node, and its builds are inputs instead.
 */
function externalPackages(workspaceRoot: string): string[] {
  const installed = realpathSync(PACKAGE_ROOT).split(/[\\/]/).includes('node_modules');
  const inWorkspace = !relative(workspaceRoot, realpathSync(PACKAGE_ROOT)).startsWith('..');
  return installed || !inWorkspace ? [TOOL.name, ...ENGINE_PACKAGES] : ENGINE_PACKAGES;
}

/**
 * The model, tokenizer and projection files the config names, as Nx file inputs. The model's
 * token ends in `*` so that external data saved beside it (`model.onnx_data`, `model.onnx.data`)
 * is hashed too: the plugin never opens the model to find out.
 */
function encoderFileInputs(projectRoot: string, config: Partial<XtrConfig> | undefined): string[] {
  const model = config?.encoder?.model;
  const modelInput = model?.startsWith('builtin:') ? undefined : workspaceToken(projectRoot, model);
  const others = [config?.encoder?.tokenizer, config?.encoder?.projection].map((path) => workspaceToken(projectRoot, path));
  return [modelInput && `${modelInput}*`, ...others].filter((input) => input !== undefined);
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

/** A broken config still yields targets: running them reports the precise problem. */
function parseLeniently(text: string): Partial<XtrConfig> | undefined {
  try {
    return JSON.parse(text) as Partial<XtrConfig>;
  } catch {
    return undefined;
  }
}
