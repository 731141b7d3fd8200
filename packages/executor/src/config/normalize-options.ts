import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { DEFAULT_MEMORY_LIMIT } from '@xtr-nx/catalog';
import { DEFAULT_MAX_LENGTH, defaultBatchSize, defaultThreads, LIMITS } from '@xtr-nx/encoder';
import type { EncoderOptions } from '@xtr-nx/encoder';
import type { Dtype } from '@xtr-nx/storage';
import { applyLimits } from './apply-limits';
import { BUILTIN_MODEL, DEFAULT_DTYPE, DEFAULT_OUTPUT_DIR, DEFAULT_TABLE, isBuiltinModel } from './defaults';
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
  /** Lines to print before building (options that were adjusted, and why). */
  readonly warnings: readonly string[];
}

export const DEFAULT_WINDOW = 256;

/** The default window, smaller for long maxLengths so that one window stays within its token budget. */
function defaultWindow(maxLength: number): number {
  const fitting = Math.floor(LIMITS.windowTokens / maxLength);
  // An invalid maxLength is reported on its own, not as a window problem too.
  return fitting >= 1 ? Math.min(DEFAULT_WINDOW, fitting) : DEFAULT_WINDOW;
}

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
  const model = overrides.model ?? encoder.model ?? BUILTIN_MODEL;
  const modelBase = overrides.model === undefined ? configDir : cwd;
  const modelPath = isBuiltinModel(model) ? model : resolve(modelBase, model);
  const maxLength = overrides.maxLength ?? encoder.maxLength ?? DEFAULT_MAX_LENGTH;
  const { sizes, warnings } = applyLimits({
    maxLength,
    batchSize: overrides.batchSize ?? encoder.batchSize ?? defaultBatchSize(modelPath),
    window: overrides.window ?? encoder.window ?? defaultWindow(maxLength),
    threads: overrides.threads ?? encoder.threads ?? defaultThreads(),
  });
  return {
    configPath: absoluteConfig,
    catalogPath: fromCwd(overrides.catalog) ?? resolve(configDir, config.catalog.path),
    table: overrides.table ?? config.catalog.table ?? DEFAULT_TABLE,
    catalogMemoryLimit: config.catalog.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
    encoder: {
      ...withoutWindow(encoder),
      model: modelPath,
      tokenizer: fromCwd(overrides.tokenizer) ?? fromConfig(encoder.tokenizer),
      projection: fromConfig(encoder.projection),
      maxLength: sizes.maxLength,
      batchSize: sizes.batchSize,
      threads: sizes.threads,
    },
    outputDir: fromCwd(overrides.outputDir) ?? resolve(configDir, config.output?.dir ?? DEFAULT_OUTPUT_DIR),
    dtype: overrides.dtype ?? config.output?.dtype ?? DEFAULT_DTYPE,
    window: sizes.window,
    warnings,
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
