import { relative } from 'node:path';
import { isBuiltinModel } from '../config/defaults';

/** Paths in the manifest are relative to the index folder: the same on every machine and after a cache restore. */
export function portablePath(outputDir: string, path: string): string {
  return isBuiltinModel(path) ? path : relative(outputDir, path);
}
