import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Staging and publishing of index folders. A build writes into a hidden sibling of the output
 * folder (same file system, so rename is atomic) and only a complete, fsynced folder replaces the
 * previous index. Folder names carry the builder's pid, so leftovers of killed builds are
 * recognisable and removed by the next build.
 */
const STAGING = 'xtr-staging';
const RETIRED = 'xtr-retired';

function sibling(outDir: string, kind: string): string {
  return join(dirname(outDir), `.${basename(outDir)}.${kind}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

function siblingsOf(names: readonly string[], outDir: string, kind: string): string[] {
  const prefix = `.${basename(outDir)}.${kind}-`;
  return names.filter((name) => name.startsWith(prefix)).map((name) => join(dirname(outDir), name));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerPid(path: string): number {
  return Number(/-(\d+)-[0-9a-f]+$/.exec(path)?.[1] ?? NaN);
}

/**
 * Repairs what an interrupted publish or build left behind: puts a retired index back if the
 * new one never arrived, and deletes staging folders of builders that are no longer running.
 */
export async function recoverOutput(outDir: string): Promise<void> {
  const parent = dirname(outDir);
  if (!existsSync(parent)) return;
  const names = await readdir(parent);
  const retired = siblingsOf(names, outDir, RETIRED);
  if (!existsSync(outDir) && retired.length > 0) await rename(retired[0], outDir);
  const stale = [...siblingsOf(names, outDir, STAGING), ...(existsSync(outDir) ? retired : retired.slice(1))];
  await Promise.all(
    stale.filter((path) => !isAlive(ownerPid(path))).map((path) => rm(path, { recursive: true, force: true })),
  );
}

export async function createStagingDir(outDir: string): Promise<string> {
  await mkdir(dirname(outDir), { recursive: true });
  await recoverOutput(outDir);
  const staging = sibling(outDir, STAGING);
  await mkdir(staging);
  return staging;
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
 * Swaps a complete staging folder into `outDir`. Between the two renames a crash leaves only
 * the retired folder, which `recoverOutput` renames back: a reader never sees a partial index.
 */
export async function publishStagingDir(staging: string, outDir: string): Promise<void> {
  for (const name of await readdir(staging)) await fsyncPath(join(staging, name));
  await fsyncPath(staging);
  let retired: string | undefined;
  if (existsSync(outDir)) {
    retired = sibling(outDir, RETIRED);
    await rename(outDir, retired);
  }
  await rename(staging, outDir);
  await fsyncPath(dirname(outDir));
  if (retired) await rm(retired, { recursive: true, force: true });
}
