import { readdir, rmdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { eachLimited } from './each-limited';
import { errorCode, ifGone } from './fs-errors';
import { LAYOUT_DIR, NAMESPACE_FILE } from './layout';
import { scanStore, type ScannedFile, type StoreScan } from './scan';
import type { PruneResult } from './types';

/** Younger temp files may belong to a build writing right now; older ones were left by a killed one. */
export const STALE_TEMP_MS = 10 * 60 * 1000;

async function removeFiles(files: readonly ScannedFile[]): Promise<PruneResult> {
  let removedEntries = 0;
  let removedBytes = 0;
  await eachLimited(files, 32, async ({ path, bytes }) => {
    if (!(await unlink(path).then(() => true, ifGone(false)))) return;
    removedEntries++;
    removedBytes += bytes;
  });
  return { removedEntries, removedBytes };
}

/** Removes folders of the layout that are empty; one still in use (or holding a foreign file) stays. */
async function removeEmptyDirs(dirs: Iterable<string>): Promise<void> {
  for (const dir of dirs) {
    await rmdir(dir).catch((error) => {
      if (!['ENOENT', 'ENOTEMPTY', 'EEXIST'].includes(errorCode(error) ?? '')) throw error;
    });
  }
}

async function removeStaleTemps(scan: StoreScan, now: number): Promise<void> {
  await removeFiles(scan.temps.filter((temp) => now - temp.mtimeMs > STALE_TEMP_MS));
}

/**
 * When the entries hold more than `limit` bytes, removes the least recently used until they hold
 * at most `target`. Returns what went and the bytes that remain.
 */
export async function pruneStore(
  dir: string,
  limit: number,
  target: number,
  now = Date.now(),
): Promise<PruneResult & { remainingBytes: number }> {
  const scan = await scanStore(dir);
  await removeStaleTemps(scan, now);
  const entries = scan.namespaces.flatMap((ns) => ns.entries);
  const total = entries.reduce((sum, entry) => sum + entry.bytes, 0);
  const victims: ScannedFile[] = [];
  if (total > limit) {
    entries.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : 1));
    let kept = total;
    for (const entry of entries) {
      if (kept <= target) break;
      victims.push(entry);
      kept -= entry.bytes;
    }
  }
  const removed = await removeFiles(victims);
  await removeEmptyDirs(new Set(victims.map((entry) => dirname(entry.path))));
  return { ...removed, remainingBytes: total - removed.removedBytes };
}

/**
 * Removes every entry and the store's own bookkeeping, file by file; a namespace's metadata goes
 * only once nothing else is left in its folder (another build may be writing into it right now).
 */
export async function clearStore(dir: string, now = Date.now()): Promise<PruneResult> {
  const scan = await scanStore(dir);
  await removeStaleTemps(scan, now);
  const removed = await removeFiles(scan.namespaces.flatMap((ns) => ns.entries));
  for (const ns of scan.namespaces) {
    await removeEmptyDirs(ns.fanDirs);
    const left = await readdir(ns.dir, { withFileTypes: true }).catch(ifGone([]));
    const onlyMetadata = left.length === 1 && left[0].name === NAMESPACE_FILE && left[0].isFile();
    if (onlyMetadata) await unlink(join(ns.dir, NAMESPACE_FILE)).catch(ifGone(undefined));
    await removeEmptyDirs([ns.dir]);
  }
  if (scan.usageFile) await unlink(scan.usageFile).catch(ifGone(undefined));
  await removeEmptyDirs([join(dir, LAYOUT_DIR)]);
  return removed;
}
