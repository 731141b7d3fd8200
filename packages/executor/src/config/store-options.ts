import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_STORE_MAX_SIZE, DEFAULT_STORE_SUBDIR, STORE_DIR_ENV } from './defaults';
import { ConfigError, type XtrConfig } from './xtr-config';

/** Where the vector store is and how big it may grow, resolved. */
export interface StoreOptions {
  readonly dir: string;
  readonly maxBytes: number;
}

const UNIT_BYTES: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12 };
const BINARY_BYTES: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };
const SIZE = /^(\d+(?:\.\d+)?)\s*(?:([kmgt])(i?)b|b)$/i;

/** `4GiB`, `500MB`, `1024B` → bytes (KiB = 1024, KB = 1000, as DuckDB reads them). */
export function parseSize(text: string): number {
  const match = SIZE.exec(text.trim());
  if (!match) throw new ConfigError(`"${text}" is not a size: write it like 4GiB, 500MB or 1024B.`);
  const [, amount, unit = '', binary] = match;
  const scale = binary ? BINARY_BYTES[unit.toLowerCase()] : UNIT_BYTES[unit.toLowerCase()];
  return Math.floor(Number(amount) * scale);
}

/** The nearest folder at or above `from` holding `file`. */
function nearest(from: string, file: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, file))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The workspace a config belongs to: the Nx workspace (not a project's own package.json), else the npm package. */
const workspaceRoot = (from: string) => nearest(from, 'nx.json') ?? nearest(from, 'package.json');

/** Outside any JavaScript workspace, the user's cache folder (XDG). */
function userCacheDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'xtr-nx', 'vectors');
}

/**
 * The vector store a build reads and fills, or undefined when the config turns it off:
 * `XTR_STORE_DIR`, else `store.dir` (relative to the config's folder), else the workspace's
 * `node_modules/.cache/xtr-nx/vectors`.
 */
export function resolveStoreOptions(
  store: XtrConfig['store'],
  configDir: string,
  env: NodeJS.ProcessEnv = process.env,
): StoreOptions | undefined {
  if (store === false) return undefined;
  const fromEnv = env[STORE_DIR_ENV];
  const root = workspaceRoot(configDir);
  const dir = fromEnv
    ? resolve(fromEnv)
    : store?.dir
      ? resolve(configDir, store.dir)
      : root
        ? join(root, DEFAULT_STORE_SUBDIR)
        : userCacheDir(env);
  return { dir, maxBytes: parseSize(store?.maxSize ?? DEFAULT_STORE_MAX_SIZE) };
}
