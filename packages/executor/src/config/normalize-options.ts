import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { DEFAULT_MEMORY_LIMIT } from '@xtr-nx/catalog';
import {
  DEFAULT_MAX_LENGTH,
  DEFAULT_NORMALIZE,
  DEFAULT_OVERFLOW,
  defaultBatchSize,
  defaultStride,
  defaultThreads,
  LIMITS,
  type ResolvedEncoderOptions,
} from '@xtr-nx/encoder';
import type { Dtype } from '@xtr-nx/storage';
import { applyLimits } from './apply-limits';
import {
  BUILTIN_MODEL,
  DEFAULT_DTYPE,
  DEFAULT_OUTPUT_DIR,
  DEFAULT_TABLE,
  DEFAULT_WINDOW,
  isBuiltinModel,
} from './defaults';
import { loadConfig } from './load-config';
import { resolveShardOptions, type ShardOptions } from './shard-options';
import { resolveStoreOptions, type StoreOptions } from './store-options';
import { ConfigError, type XtrConfig } from './xtr-config';

/**
 * Options a caller (executor, CLI) may set; they win over `xtr.config.json`, and mean what the
 * config keys of the same name mean. Paths: workspace-relative.
 */
export type BuildOverrides = Pick<
  NonNullable<XtrConfig['encoder']>,
  'model' | 'tokenizer' | 'maxLength' | 'overflow' | 'stride' | 'batchSize' | 'window' | 'threads'
> & {
  /** `catalog.path`. */
  catalog?: string;
  table?: string;
  /** `output.dir`. */
  outputDir?: string;
  dtype?: Dtype;
  /** Encode every chunk: reuse no vectors from the previous index or the store (the store is still filled). */
  full?: boolean;
  /** Build only this shard of a sharded config (its chunks as the plan lists them), into its shard folder. */
  shard?: number;
};

/** What `xtr fingerprint` and `xtr verify` take from the command line: where the catalog and index are. */
export type IndexOverrides = Pick<BuildOverrides, 'catalog' | 'table' | 'outputDir'>;

/** Where a config's catalog and index are, as absolute paths. */
export interface IndexOptions {
  readonly configPath: string;
  readonly catalogPath: string;
  readonly table: string;
  /** DuckDB memory limit for every read of the catalog. */
  readonly catalogMemoryLimit: string;
  readonly outputDir: string;
  /** The shard layout of a sharded build; undefined for one in one piece. */
  readonly shards: ShardOptions | undefined;
}

/** Everything a build needs, resolved: absolute paths, defaults applied. */
export interface BuildOptions extends IndexOptions {
  readonly encoder: ResolvedEncoderOptions;
  readonly dtype: Dtype;
  /** Chunks read from DuckDB per step: the window within which chunks are grouped by length. */
  readonly window: number;
  /** The shard this build makes, with the plan that lists its chunks; undefined for a whole index. */
  readonly shard: { readonly index: number; readonly planDir: string } | undefined;
  /** Reuse vectors of unchanged chunks (false for a full build). */
  readonly reuse: boolean;
  /** The vector store to read (unless `reuse` is false) and fill; undefined when turned off. */
  readonly store: StoreOptions | undefined;
  /** Lines to print before building (options that were adjusted, and why). */
  readonly warnings: readonly string[];
}

/** The default window, smaller for long maxLengths so that one window stays within its token budget. */
function defaultWindow(maxLength: number): number {
  const fitting = Math.floor(LIMITS.windowTokens / maxLength);
  // An invalid maxLength is reported on its own, not as a window problem too.
  return fitting >= 1 ? Math.min(DEFAULT_WINDOW, fitting) : DEFAULT_WINDOW;
}

/** A loaded `xtr.config.json` and how to resolve the paths it and the caller give. */
interface ConfigContext {
  readonly configPath: string;
  readonly configDir: string;
  readonly config: XtrConfig;
  /** A path from the caller: relative to `cwd`, the workspace root. */
  readonly fromCwd: (path: string | undefined) => string | undefined;
  /** A path from the config: relative to its own folder. */
  readonly fromConfig: (path: string | undefined) => string | undefined;
}

function loadContext(configPath: string, cwd: string): ConfigContext {
  const absoluteConfig = resolve(cwd, configPath);
  const configDir = dirname(absoluteConfig);
  return {
    configPath: absoluteConfig,
    configDir,
    config: loadConfig(absoluteConfig),
    fromCwd: (p) => (p === undefined ? undefined : resolve(cwd, p)),
    fromConfig: (p) => (p === undefined ? undefined : resolve(configDir, p)),
  };
}

function indexOptions(context: ConfigContext, overrides: IndexOverrides): IndexOptions {
  const { configPath, configDir, config, fromCwd } = context;
  return {
    configPath,
    catalogPath: fromCwd(overrides.catalog) ?? resolve(configDir, config.catalog.path),
    table: overrides.table ?? config.catalog.table ?? DEFAULT_TABLE,
    catalogMemoryLimit: config.catalog.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
    outputDir: fromCwd(overrides.outputDir) ?? resolve(configDir, config.output?.dir ?? DEFAULT_OUTPUT_DIR),
    shards: resolveShardOptions(config, configDir),
  };
}

/**
 * Where a config's catalog and index are, for the commands that read only those: `xtr verify`,
 * and `xtr fingerprint`, which Nx runs for the cache key of every `xtr-index` task. The encoder's
 * options are neither resolved nor checked here, so the model is never read.
 */
export function normalizeIndexOptions(configPath: string, overrides: IndexOverrides, cwd: string): IndexOptions {
  return indexOptions(loadContext(configPath, cwd), overrides);
}

/**
 * The single place where a build's options are resolved: explicit overrides (relative to `cwd`,
 * the workspace root), then `xtr.config.json` (relative to its own folder), then defaults. The
 * batch-size default depends on the model's weight, so this reads the model.
 */
export function normalizeBuildOptions(configPath: string, overrides: BuildOverrides, cwd: string): BuildOptions {
  const context = loadContext(configPath, cwd);
  const { configDir, config, fromCwd, fromConfig } = context;
  const encoder = config.encoder ?? {};
  const model = overrides.model ?? encoder.model ?? BUILTIN_MODEL;
  const modelBase = overrides.model === undefined ? configDir : cwd;
  const modelPath = isBuiltinModel(model) ? model : resolve(modelBase, model);
  const maxLength = overrides.maxLength ?? encoder.maxLength ?? DEFAULT_MAX_LENGTH;
  const { sizes, warnings } = applyLimits({
    maxLength,
    stride: overrides.stride ?? encoder.stride ?? defaultStride(maxLength),
    batchSize: overrides.batchSize ?? encoder.batchSize ?? defaultBatchSize(modelPath),
    window: overrides.window ?? encoder.window ?? defaultWindow(maxLength),
    threads: overrides.threads ?? encoder.threads ?? defaultThreads(),
  });
  const index = indexOptions(context, overrides);
  return {
    ...index,
    ...shardTarget(index, overrides.shard, context.configPath),
    encoder: {
      ...withoutWindow(encoder),
      model: modelPath,
      tokenizer: fromCwd(overrides.tokenizer) ?? fromConfig(encoder.tokenizer),
      projection: fromConfig(encoder.projection),
      maxLength: sizes.maxLength,
      overflow: overrides.overflow ?? encoder.overflow ?? DEFAULT_OVERFLOW,
      stride: sizes.stride,
      batchSize: sizes.batchSize,
      threads: sizes.threads,
      normalize: encoder.normalize ?? DEFAULT_NORMALIZE,
    },
    dtype: overrides.dtype ?? config.output?.dtype ?? DEFAULT_DTYPE,
    window: sizes.window,
    reuse: !overrides.full,
    store: resolveStoreOptions(config.store, configDir),
    warnings,
  };
}

/** A shard build writes into its shard's folder, from the plan's list of its chunks. */
function shardTarget(index: IndexOptions, shard: number | undefined, configPath: string) {
  if (shard === undefined) return { shard: undefined };
  const { shards } = index;
  if (!shards) throw new ConfigError(`--shard ${shard}: ${configPath} has no "shards"; set a shard count there first.`);
  if (!Number.isInteger(shard) || shard < 0 || shard >= shards.count)
    throw new ConfigError(`--shard ${shard}: ${configPath} has shards 0 to ${shards.count - 1}.`);
  return { outputDir: shards.shardDir(shard), shard: { index: shard, planDir: shards.planDir } };
}

function withoutWindow({ window: _window, ...encoder }: NonNullable<XtrConfig['encoder']>) {
  return encoder;
}

/** A path as users should read it: relative to the workspace when inside it. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
