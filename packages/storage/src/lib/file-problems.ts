import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** An error's message; not `instanceof Error`, which fails for errors from another realm (vm contexts, jest). */
export const describeError = (error: unknown): string =>
  String((error as { message?: unknown } | null)?.message ?? error);

/** Why a file of the index cannot be read, with the fix. */
export function unreadable(name: string, error: unknown): string {
  if ((error as NodeJS.ErrnoException).code === 'EISDIR') return `${name} is a folder, not a file: rebuild the index.`;
  return `${name} cannot be read (${describeError(error)}): check its permissions, or rebuild the index.`;
}

/** A small file of the index as text, or undefined with the reason in `problems` (`ifMissing` when absent). */
export async function readText(
  dir: string,
  name: string,
  problems: string[],
  ifMissing: string,
): Promise<string | undefined> {
  try {
    return await readFile(join(dir, name), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: the index folder is a file, so the file is as missing as can be.
    problems.push(code === 'ENOENT' || code === 'ENOTDIR' ? ifMissing : unreadable(name, error));
    return undefined;
  }
}
