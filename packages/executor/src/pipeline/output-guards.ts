import { existsSync } from 'node:fs';
import { isBuiltinModel } from '../config/defaults';
import { dirname, join } from 'node:path';
import type { ProtectedPath } from '@xtr-nx/storage';
import type { BuildOptions } from '../config/normalize-options';

/** The folder holding `from` (or an ancestor) that has nx.json or .git: the workspace or repository root. */
export function workspaceRootOf(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json')) || existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The part of a path before its first glob character: what a Parquet glob can match below. */
function globBase(path: string): string {
  const glob = path.search(/[*?[{]/);
  return glob < 0 ? path : dirname(path.slice(0, glob + 1));
}

/**
 * Everything a build's output folder must neither be nor contain: the build's own inputs, the
 * current directory and the workspace root, plus what the caller knows (e.g. every Nx project root).
 */
export function outputGuards(options: BuildOptions, extra: readonly ProtectedPath[] = []): ProtectedPath[] {
  const { encoder } = options;
  const modelFiles = [
    ...(isBuiltinModel(encoder.model) ? [] : [{ path: encoder.model, what: 'the model' }]),
    ...(encoder.tokenizer ? [{ path: encoder.tokenizer, what: 'the tokenizer' }] : []),
    ...(encoder.projection ? [{ path: encoder.projection, what: 'the projection' }] : []),
  ];
  const root = workspaceRootOf(dirname(options.configPath));
  return [
    { path: globBase(options.catalogPath), what: 'the catalog' },
    { path: options.configPath, what: 'the config file' },
    ...modelFiles,
    ...(options.store ? [{ path: options.store.dir, what: 'the vector store' }] : []),
    { path: process.cwd(), what: 'the current directory' },
    ...(root ? [{ path: root, what: 'the workspace root' }] : []),
    ...extra,
  ];
}
