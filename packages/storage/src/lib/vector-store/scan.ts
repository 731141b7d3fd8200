import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { eachLimited } from './each-limited';
import { ifGone } from './fs-errors';
import {
  ENTRY_FILE,
  FAN_DIR,
  LAYOUT_DIR,
  NAMESPACE_DIR,
  NAMESPACE_FILE,
  TAG_FILE,
  tempTarget,
  USAGE_FILE,
} from './layout';

export interface ScannedFile {
  readonly path: string;
  readonly bytes: number;
  /** For an entry, its last use. */
  readonly mtimeMs: number;
}

export interface ScannedNamespace {
  readonly id: string;
  readonly dir: string;
  readonly fanDirs: readonly string[];
  readonly entries: ScannedFile[];
}

export interface StoreScan {
  readonly namespaces: readonly ScannedNamespace[];
  /** Temp files of every writer, live or dead, anywhere in the layout. */
  readonly temps: readonly ScannedFile[];
  /** The usage estimate's path, when it is there as a regular file. */
  readonly usageFile?: string;
}

const list = (dir: string): Promise<Dirent[]> => readdir(dir, { withFileTypes: true }).catch(ifGone([]));

/**
 * Lists what the store wrote, and only that: folders and regular files whose names match the
 * layout. Symlinks and foreign names are not followed, not listed, and so never deleted.
 */
export async function scanStore(dir: string): Promise<StoreScan> {
  const files: { path: string; into: ScannedFile[] }[] = [];
  const temps: ScannedFile[] = [];
  const takeTemps = (folder: string, names: Dirent[], final: (name: string) => boolean) => {
    for (const name of names) {
      const target = name.isFile() ? tempTarget(name.name) : undefined;
      if (target !== undefined && final(target)) files.push({ path: join(folder, name.name), into: temps });
    }
  };
  takeTemps(dir, await list(dir), (name) => name === TAG_FILE);
  const layout = join(dir, LAYOUT_DIR);
  const top = await list(layout);
  takeTemps(layout, top, (name) => name === USAGE_FILE);
  const namespaces: ScannedNamespace[] = [];
  for (const ns of top.filter((item) => item.isDirectory() && NAMESPACE_DIR.test(item.name))) {
    const nsDir = join(layout, ns.name);
    const inNs = await list(nsDir);
    takeTemps(nsDir, inNs, (name) => name === NAMESPACE_FILE);
    const fanDirs: string[] = [];
    const entries: ScannedFile[] = [];
    for (const fan of inNs.filter((item) => item.isDirectory() && FAN_DIR.test(item.name))) {
      const fanDir = join(nsDir, fan.name);
      fanDirs.push(fanDir);
      const inFan = await list(fanDir);
      for (const file of inFan) {
        if (file.isFile() && ENTRY_FILE.test(file.name)) files.push({ path: join(fanDir, file.name), into: entries });
      }
      takeTemps(fanDir, inFan, (name) => ENTRY_FILE.test(name));
    }
    namespaces.push({ id: ns.name, dir: nsDir, fanDirs, entries });
  }
  await eachLimited(files, 32, async ({ path, into }) => {
    const stat = await lstat(path).catch(ifGone(undefined));
    if (stat?.isFile()) into.push({ path, bytes: stat.size, mtimeMs: stat.mtimeMs });
  });
  const usage = top.find((item) => item.isFile() && item.name === USAGE_FILE);
  return { namespaces, temps, usageFile: usage && join(layout, USAGE_FILE) };
}
