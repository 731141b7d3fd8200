import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { DEFAULT_MEMORY_LIMIT } from '@xtr-nx/catalog';
import { BUILTIN_HASH, DEFAULT_MAX_LENGTH, defaultBatchSize, type EncoderOptions } from '@xtr-nx/encoder';
import type { Dtype } from '@xtr-nx/storage';
import { loadConfig } from './load-config';
import type { XtrConfig } from './xtr-config';

/** Options a caller (executor, CLI) may set; they win over `xtr.config.json`. Paths: workspace-relative. */
export interface BuildOverrides {
  catalog?: string;
  table?: string;
  model?: string;
  tokenizer?: string;
  maxLength?: number;
  batchSize?: number;
  window?: number;
  threads?: number;
  outputDir?: string;
  dtype?: Dtype;
}

/** Everything a build needs, resolved: absolute paths, defaults applied. */
export interface BuildOptions {
  readonly configPath: string;
  readonly catalogPath: string;
  readonly table: string;
  /** DuckDB memory limit for every read of the catalog. */
  readonly catalogMemoryLimit: string;
  readonly encoder: EncoderOptions & Required<Pick<EncoderOptions, 'maxLength' | 'batchSize' | 'threads'>>;
  readonly outputDir: string;
  readonly dtype: Dtype;
  /** Chunks read from DuckDB per step: the window within which chunks are grouped by length. */
  readonly window: number;
}

export const DEFAULT_OUTPUT_DIR = 'dist/xtr';
export const DEFAULT_DTYPE: Dtype = 'float16';
export const DEFAULT_WINDOW = 256;

/**
 * The single place where defaults are applied: explicit overrides (relative to `cwd`, the
 * workspace root), then `xtr.config.json` (relative to its own folder), then defaults.
 */
export function normalizeBuildOptions(configPath: string, overrides: BuildOverrides, cwd: string): BuildOptions {
  const absoluteConfig = resolve(cwd, configPath);
  const config = loadConfig(absoluteConfig);
  const configDir = dirname(absoluteConfig);
  const fromCwd = (p: string | undefined) => (p === undefined ? undefined : resolve(cwd, p));
  const fromConfig = (p: string | undefined) => (p === undefined ? undefined : resolve(configDir, p));
  const encoder = config.encoder ?? {};
  const model = overrides.model ?? encoder.model ?? BUILTIN_HASH;
  const modelBase = overrides.model === undefined ? configDir : cwd;
  const modelPath = model.startsWith('builtin:') ? model : resolve(modelBase, model);
  return {
    configPath: absoluteConfig,
    catalogPath: fromCwd(overrides.catalog) ?? resolve(configDir, config.catalog.path),
    table: overrides.table ?? config.catalog.table ?? 'chunks',
    catalogMemoryLimit: config.catalog.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
    encoder: {
      ...withoutWindow(encoder),
      model: modelPath,
      tokenizer: fromCwd(overrides.tokenizer) ?? fromConfig(encoder.tokenizer),
      projection: fromConfig(encoder.projection),
      maxLength: overrides.maxLength ?? encoder.maxLength ?? DEFAULT_MAX_LENGTH,
      batchSize: overrides.batchSize ?? encoder.batchSize ?? defaultBatchSize(modelPath),
      threads: overrides.threads ?? encoder.threads ?? availableParallelism(),
    },
    outputDir: fromCwd(overrides.outputDir) ?? resolve(configDir, config.output?.dir ?? DEFAULT_OUTPUT_DIR),
    dtype: overrides.dtype ?? config.output?.dtype ?? DEFAULT_DTYPE,
    window: overrides.window ?? encoder.window ?? DEFAULT_WINDOW,
  };
}

function withoutWindow({ window: _window, ...encoder }: NonNullable<XtrConfig['encoder']>) {
  return encoder;
}

/** A path as users should read it: relative to the workspace when inside it. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
