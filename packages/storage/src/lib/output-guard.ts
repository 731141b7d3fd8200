import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { foreignEntries, PLAN_FILE } from './owned-dir';
import { MANIFEST_FILE, StorageError } from './types';

/** A path the output folder must neither be nor contain, and what it is, for the message. */
export interface ProtectedPath {
  readonly path: string;
  /** e.g. "the catalog", "the workspace root". */
  readonly what: string;
}

const FIX = 'Point the output (output.dir, --output-dir) at a folder of its own, e.g. dist/xtr/<project>.';

/** `path` with every existing ancestor's symlinks resolved, whether or not `path` itself exists. */
function realPath(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(realPath(parent), basename(absolute));
}

/**
 * The folder a build publishes into. A symlinked output is followed: the index is published at
 * the link's target and the link itself is left as it is (replacing it with a folder would
 * silently cut what it points to out of the user's layout).
 */
export function resolveOutputDir(outDir: string): string {
  const absolute = resolve(outDir);
  const stat = lstatSync(absolute, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink() && !existsSync(absolute)) {
    throw new StorageError(
      `${absolute} is a symbolic link to ${readlinkSync(absolute)}, which does not exist. Create the target folder, or remove the link. ${FIX}`,
    );
  }
  return realPath(absolute);
}

const inside = (child: string, parent: string) => {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

/** Whether `dir` holds a manifest (or plan) this tool wrote: the proof that it published the folder. */
function hasOwnManifest(dir: string): boolean {
  return [MANIFEST_FILE, PLAN_FILE].some((name) => {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, name), 'utf8').replace(/^\uFEFF/, ''));
      return typeof manifest.formatVersion === 'number' && typeof manifest.tool?.name === 'string';
    } catch {
      return false;
    }
  });
}

/**
 * Refuses, before any work starts, an output folder whose replacement would destroy something
 * this tool did not create: a folder that is or contains a protected path, a file, a folder with
 * anything but index files, or index files without this tool's manifest. Missing, empty, or a
 * previously published index: fine. `outDir` as from `resolveOutputDir`.
 */
export function assertReplaceable(outDir: string, protect: readonly ProtectedPath[] = []): void {
  for (const { path, what } of protect) {
    const real = realPath(path);
    if (real === outDir) throw new StorageError(`Refusing to publish the index at ${outDir}: that is ${what}. ${FIX}`);
    if (inside(real, outDir)) {
      throw new StorageError(
        `Refusing to publish the index at ${outDir}: it contains ${what} (${real}), and publishing replaces the whole folder. ${FIX}`,
      );
    }
  }
  const stat = lstatSync(outDir, { throwIfNoEntry: false });
  if (!stat) return;
  if (!stat.isDirectory()) {
    throw new StorageError(
      `Refusing to publish the index at ${outDir}: it is a file, not an index folder, and publishing would replace it. ${FIX}`,
    );
  }
  const foreign = foreignEntries(outDir);
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, … (${foreign.length} in all)` : '');
    throw new StorageError(
      `Refusing to publish the index at ${outDir}: it holds ${shown}, which xtr did not write, and publishing replaces the whole folder. Move them elsewhere, or: ${FIX}`,
    );
  }
  if (readdirSync(outDir).length > 0 && !hasOwnManifest(outDir)) {
    throw new StorageError(
      `Refusing to publish the index at ${outDir}: it holds index files but no ${MANIFEST_FILE} written by xtr, so it is not an index this tool published. Delete them yourself if they may go, or: ${FIX}`,
    );
  }
}
