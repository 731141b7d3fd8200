import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomic } from './atomic-file';
import { LAYOUT_DIR, USAGE_FILE } from './layout';

/**
 * The store's size as last scanned, plus what builds have written since: lets a build decide
 * whether to prune without listing the whole store. Builds closing at the same time may lose each
 * other's updates, so the estimate can drift low; it is rescanned at least once a day.
 */
export interface UsageEstimate {
  readonly bytes: number;
  readonly scannedAt: number;
}

const RESCAN_AFTER_MS = 24 * 60 * 60 * 1000;

const usagePath = (dir: string) => join(dir, LAYOUT_DIR, USAGE_FILE);

/** The estimate, or undefined when it is missing or unreadable (a scan then replaces it). */
export async function readUsage(dir: string): Promise<UsageEstimate | undefined> {
  try {
    const { bytes, scannedAt } = JSON.parse(await readFile(usagePath(dir), 'utf8'));
    return Number.isSafeInteger(bytes) && bytes >= 0 && Number.isFinite(scannedAt) ? { bytes, scannedAt } : undefined;
  } catch {
    return undefined;
  }
}

export const writeUsage = (dir: string, usage: UsageEstimate) =>
  writeAtomic(usagePath(dir), `${JSON.stringify(usage)}\n`);

/**
 * Whether the estimate can no longer be trusted to say the store is within `maxBytes`: over it,
 * or too old to trust, or from the future (the clock moved, and age would never catch up).
 */
export const needsScan = (usage: UsageEstimate, maxBytes: number, now: number) =>
  usage.bytes > maxBytes || now - usage.scannedAt > RESCAN_AFTER_MS || usage.scannedAt > now;

/**
 * Records a full scan's result, best effort: the estimate is only a shortcut, and a store that
 * cannot take it (read-only, no layout yet) works without.
 */
export const recordScan = (dir: string, bytes: number) =>
  writeUsage(dir, { bytes, scannedAt: Date.now() }).catch(() => undefined);
