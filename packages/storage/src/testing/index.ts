import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every file below `dir` (hidden ones included) with its bytes, base64: what must come out of a
 * refused build unchanged, compared before and after.
 */
export function fileTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      files[join(entry.parentPath, entry.name)] = readFileSync(join(entry.parentPath, entry.name), 'base64');
  }
  return files;
}
