import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { tempName } from './layout';

/**
 * Writes `path` so that readers see the old file or the new one, never part of one: a temp file
 * in the same folder, renamed over the final name. Writers racing on one path are harmless here
 * because every file the store writes under a name has the same content; the last rename wins.
 */
export async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = join(dirname(path), tempName(basename(path)));
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
