import { statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import execa from 'execa';

/** Extensions indexed, by language. Keep in sync with the `catalog` target's inputs. */
export const LANGUAGES: Record<string, string> = {
  '.ts': 'typescript',
  '.js': 'javascript',
  '.py': 'python',
  '.json': 'json',
  '.md': 'markdown',
  '.sh': 'shell',
};
/** Generated files that would only drown real code. */
const SKIPPED = new Set(['package-lock.json']);
const MAX_FILE_BYTES = 1 << 20;

/**
 * Source files of the repository at `root`: tracked, or untracked but not ignored (the same set
 * Nx hashes), with an indexed extension, at most 1 MiB, sorted.
 */
export async function sourceFiles(root: string): Promise<string[]> {
  const { stdout } = await execa('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
  });
  return stdout
    .split('\0')
    .filter((file) => file && LANGUAGES[extname(file)] && !SKIPPED.has(file.split('/').pop() ?? ''))
    .filter((file) => {
      const stat = statSync(resolve(root, file), { throwIfNoEntry: false });
      return stat?.isFile() && stat.size <= MAX_FILE_BYTES;
    })
    .sort();
}
