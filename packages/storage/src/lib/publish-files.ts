import { join } from 'node:path';
import type { ProtectedPath } from './output-guard';
import type { LockWait } from './output-lock';
import { OutputSlot } from './output-slot';
import { isOwnedFile } from './owned-dir';
import { writeTextFile } from './text-file';
import { StorageError } from './types';

/**
 * Publishes a folder of generated text files (a sharded build's plan) the way an index is
 * published: the folder is claimed (refused if it holds anything this tool did not write),
 * the files are written into a staging folder, and the staging folder replaces it in one step.
 */
export async function publishFiles(
  outDir: string,
  files: ReadonlyMap<string, Iterable<string>>,
  protect: readonly ProtectedPath[] = [],
  wait: LockWait = {},
): Promise<void> {
  const foreign = [...files.keys()].filter((name) => !isOwnedFile(name));
  if (foreign.length > 0) throw new StorageError(`publishFiles: ${foreign.join(', ')} are not names xtr writes.`);
  const slot = await OutputSlot.claim(outDir, protect, wait);
  try {
    for (const [name, pieces] of files) await writeTextFile(join(slot.staging, name), pieces);
    await slot.publish();
  } finally {
    await slot.release();
  }
}
