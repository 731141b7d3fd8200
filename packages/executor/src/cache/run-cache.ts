import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type StoreStats, VectorStore } from '@xtr-nx/storage';
import { loadConfig } from '../config/load-config';
import { displayPath } from '../config/normalize-options';
import { parseSize, resolveStoreOptions, type StoreOptions } from '../config/store-options';
import { ConfigError } from '../config/xtr-config';
import type { RunLogger } from '../run-logger';

export type CacheAction = 'stats' | 'prune' | 'clear';

export interface CacheOptions {
  readonly config: string;
  /** `prune` only: the bound to prune to, instead of the config's `store.maxSize`. */
  readonly maxSize?: string;
  readonly json?: boolean;
}

/**
 * The store the config at `configPath` builds with; without a config file, the default store of
 * the workspace around `cwd` (so `xtr cache` works from any workspace folder).
 */
function storeOf(configPath: string, cwd: string): StoreOptions {
  const path = resolve(cwd, configPath);
  const store = existsSync(path)
    ? resolveStoreOptions(loadConfig(path).store, dirname(path))
    : resolveStoreOptions(undefined, cwd);
  if (!store)
    throw new ConfigError(`The vector store is turned off in ${path} ("store": false): there is nothing to inspect.`);
  return store;
}

const gib = (bytes: number) =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const day = (date: Date | undefined) => (date ? date.toISOString().slice(0, 16).replace('T', ' ') : '—');

function formatStats(stats: StoreStats, shown: string): string {
  const lines = [
    `xtr vector store: ${shown}`,
    `  ${stats.entries} entries, ${gib(stats.bytes)} of ${gib(stats.maxBytes)}`,
  ];
  for (const ns of stats.namespaces) {
    const encoder = ns.encoderPrefix ? `encoder ${ns.encoderPrefix}` : `namespace ${ns.id}`;
    lines.push(
      `  ${encoder} ${ns.dtype ?? '?'} dim ${ns.dim ?? '?'}: ${ns.entries} entries, ${gib(ns.bytes)}, used ${day(ns.oldestUse)} … ${day(ns.newestUse)} UTC`,
    );
  }
  return lines.join('\n');
}

/** `xtr cache stats|prune|clear`: what the vector store holds, and shrinking it. */
export async function runCache(
  action: CacheAction,
  options: CacheOptions,
  cwd: string,
  logger: RunLogger,
): Promise<void> {
  const settings = storeOf(options.config, cwd);
  const store = VectorStore.open(settings);
  const shown = displayPath(settings.dir, cwd);
  if (action === 'stats') {
    const stats = await store.stats();
    logger.info(options.json ? JSON.stringify(stats) : formatStats(stats, shown));
    return;
  }
  const result =
    action === 'clear'
      ? await store.clear()
      : await store.prune(options.maxSize === undefined ? undefined : parseSize(options.maxSize));
  logger.info(
    options.json
      ? JSON.stringify(result)
      : `xtr cache ${action}: removed ${result.removedEntries} entries (${gib(result.removedBytes)}) from ${shown}`,
  );
}
