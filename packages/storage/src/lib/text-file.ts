import { open } from 'node:fs/promises';
import { writePieces } from './meta-json';

/**
 * Runs a write, naming `path` on its error: Node reports a full disk or a failing device on a
 * file handle without the file, so the message could not say where.
 */
export async function naming<T>(path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    if (failure.code && !failure.path) failure.path = path;
    throw failure;
  }
}

/** Writes generated text to `path` piece by piece, so no huge string is ever built. */
export async function writeTextFile(path: string, pieces: Iterable<string>): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await naming(path, () => writePieces(handle, pieces));
  } finally {
    await handle.close();
  }
}
