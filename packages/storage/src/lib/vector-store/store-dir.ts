import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageError } from '../types';
import { writeAtomic } from './atomic-file';
import { LAYOUT_DIR, TAG_FILE, TAG_SIGNATURE, TAG_TEXT, tempTarget } from './layout';

const FIX = 'Choose another store.dir: a missing or empty folder, or one this store created.';

const isOurTag = (text: string) => text.startsWith(TAG_SIGNATURE) && text.includes('xtr-nx');

/**
 * Refuses (StorageError) a store folder the store did not create: anything but a missing folder,
 * an empty one, or one carrying xtr-nx's CACHEDIR.TAG. A tag being written by another build right
 * now (its temp file) counts as empty. Other I/O errors propagate.
 */
export function checkStoreDir(dir: string): 'missing' | 'empty' | 'tagged' {
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat) return 'missing';
  if (!stat.isDirectory()) throw new StorageError(`Refusing to use ${dir} as the vector store: it is a file. ${FIX}`);
  const names = readdirSync(dir);
  if (names.includes(TAG_FILE)) {
    if (isOurTag(readFileSync(join(dir, TAG_FILE), 'utf8'))) return 'tagged';
    throw new StorageError(
      `Refusing to use ${dir} as the vector store: its ${TAG_FILE} was written by another tool, so the folder is another program's cache. ${FIX}`,
    );
  }
  const foreign = names.filter((name) => tempTarget(name) !== TAG_FILE);
  if (foreign.length === 0) return 'empty';
  const shown = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, … (${foreign.length} in all)` : '');
  throw new StorageError(
    `Refusing to use ${dir} as the vector store: it holds ${shown}, and no ${TAG_FILE} of xtr-nx says the store created it. ${FIX}`,
  );
}

/** Makes `dir` a store folder (checked again: it may have changed since the store was opened). */
export async function claimStoreDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (checkStoreDir(dir) !== 'tagged') await writeAtomic(join(dir, TAG_FILE), TAG_TEXT);
  await mkdir(join(dir, LAYOUT_DIR), { recursive: true });
}
