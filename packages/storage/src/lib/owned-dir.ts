import { lstatSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE, META_FILE, TOKENS_FILE } from './types';

/** Rows as they arrive, before the reorder by id: only ever inside a staging folder. */
export const ARRIVAL_FILE = 'tokens.arrival';

/** A sharded build's plan: what it announces (shard count, catalog, per-shard sums), beside one file per shard. */
export const PLAN_FILE = 'xtr.plan.json';
/** One shard's part of a plan (`xtr.shard-007.json`): its chunk ids and content hashes. */
const SHARD_PLAN_FILE = /^xtr\.shard-\d{3,}\.json$/;

/** Every name this tool writes into an index or plan folder or their staging folders, and nothing else. */
const OWNED_FILES: ReadonlySet<string> = new Set([
  ...Object.values(TOKENS_FILE),
  META_FILE,
  MANIFEST_FILE,
  ARRIVAL_FILE,
  PLAN_FILE,
]);

export const isOwnedFile = (name: string) => OWNED_FILES.has(name) || SHARD_PLAN_FILE.test(name);

/** Entries of `dir` that this tool never writes: what a replace or a clean-up would destroy. */
export function foreignEntries(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !(entry.isFile() && isOwnedFile(entry.name)))
    .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name));
}

/**
 * Removes a folder this tool created, file by file: only names it writes, never recursively, so a
 * file someone else put there (or a symlink) survives and the folder stays. Returns whether it went.
 */
export function removeOwnedDir(dir: string): boolean {
  let entries: string[];
  try {
    if (!lstatSync(dir).isDirectory()) return false;
    entries = readdirSync(dir);
  } catch {
    return false;
  }
  for (const name of entries) {
    if (!isOwnedFile(name)) continue;
    try {
      if (lstatSync(join(dir, name)).isFile()) unlinkSync(join(dir, name));
    } catch {
      // Already gone: another clean-up got there first.
    }
  }
  try {
    rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}
