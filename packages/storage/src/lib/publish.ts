import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { withLockIfFree } from './output-lock';
import { removeOwnedDir } from './owned-dir';

/**
 * Staging and publishing of index folders. A build writes into a hidden sibling of the output
 * folder (same file system, so rename is atomic), and only a complete, fsynced folder replaces
 * the previous index: the old folder is renamed aside ("retired"), the new one renamed in, the
 * old one removed. Everything here that moves or removes folders runs under the output's lock.
 */
const STAGING = 'xtr-staging';
const RETIRED = 'xtr-retired';

function siblingPath(outDir: string, kind: typeof STAGING | typeof RETIRED): string {
  return join(dirname(outDir), `.${basename(outDir)}.${kind}-${randomBytes(6).toString('hex')}`);
}

export const stagingPath = (outDir: string) => siblingPath(outDir, STAGING);

function siblingsOf(outDir: string, kind: string): string[] {
  const prefix = `.${basename(outDir)}.${kind}-`;
  let names: string[];
  try {
    names = readdirSync(dirname(outDir));
  } catch {
    return [];
  }
  return names.filter((name) => name.startsWith(prefix)).map((name) => join(dirname(outDir), name));
}

/**
 * Under the output's lock: puts the previous index back if a publish died between its two
 * renames, and removes what builds that died left behind. The lock is proof that no live build
 * owns any of these folders, so no pid or clock is consulted.
 */
export function recoverOutputSync(outDir: string): void {
  const retired = siblingsOf(outDir, RETIRED);
  if (!existsSync(outDir) && retired.length > 0) renameSync(retired[0], outDir);
  for (const leftover of [...siblingsOf(outDir, STAGING), ...siblingsOf(outDir, RETIRED)]) removeOwnedDir(leftover);
}

/**
 * The folder to read the index at `dir` from. Normally `dir` itself; after a publish that died
 * between its renames, the previous index is put back first. While a build holds the lock (it is
 * between its renames right now), or when the reader cannot take the lock at all, the retired
 * folder is the complete previous index: read that.
 */
export function readableIndexDir(dir: string): string {
  if (existsSync(dir)) return dir;
  const retired = siblingsOf(dir, RETIRED);
  if (retired.length === 0) return dir;
  try {
    if (withLockIfFree(dir, () => recoverOutputSync(dir))) return dir;
  } catch {
    // A reader that may not write here (a read-only mount, another user's index) cannot repair
    // the folder, but the retired index is complete: read it where it is.
  }
  return retired[0];
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Swaps a complete staging folder into `outDir` (under the output's lock). A crash between the
 * two renames leaves the previous index in its retired folder, which the next reader or build
 * puts back.
 */
export async function publishStagingDir(staging: string, outDir: string): Promise<void> {
  for (const name of await readdir(staging)) await fsyncPath(join(staging, name));
  await fsyncPath(staging);
  let retired: string | undefined;
  if (existsSync(outDir)) {
    retired = siblingPath(outDir, RETIRED);
    renameSync(outDir, retired);
  }
  renameSync(staging, outDir);
  await fsyncPath(dirname(outDir));
  if (retired) removeOwnedDir(retired);
}
