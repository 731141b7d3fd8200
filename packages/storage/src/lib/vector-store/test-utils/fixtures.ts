import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import execa from 'execa';

/** The store's entry header, spelled out independently of the code: 8 + 4 + 4 + 4 + 16 + 32 bytes. */
export const HEADER = 68;

/** A 128-bit content hash, as builds key entries. */
export const keyOf = (i: number) => createHash('md5').update(`chunk ${i}`).digest('hex');

/** `bytes` bytes of rows that differ from entry to entry. */
export const rowsOf = (i: number, bytes: number) =>
  Uint8Array.from({ length: bytes }, (_, j) => (i * 7 + j * 13) & 255);

/** Where the store's layout puts `key`, found by listing rather than by the code under test. */
export function entryFile(storeDir: string, key: string): string {
  const namespaces = readdirSync(join(storeDir, 'v1'), { withFileTypes: true }).filter((item) => item.isDirectory());
  if (namespaces.length !== 1) throw new Error(`expected one namespace, found ${namespaces.length}`);
  return join(storeDir, 'v1', namespaces[0].name, key.slice(0, 2), `${key.slice(2)}.xv`);
}

/** Every file under `dir`, relative, sorted. */
export const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((item) => !item.isDirectory())
    .map((item) => join(item.parentPath, item.name).slice(dir.length + 1))
    .sort();

/** What `store-child.ts` writes. */
export const CHILD_NAMESPACE = { encoder: 'child', dtype: 'float16', dim: 8 } as const;
export const CHILD_TOKENS = 3;
export const CHILD_BYTES = CHILD_TOKENS * CHILD_NAMESPACE.dim * 2;

export interface ChildReport {
  counters: Record<string, number>;
  warnings: string[];
}

/** Runs `store-child.ts` in its own node process (as `uid`, when given) and returns what it printed. */
export async function runChild(args: string[], uid?: number): Promise<ChildReport> {
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const script = join(__dirname, 'store-child.ts');
  const run = await execa(process.execPath, ['--conditions=@xtr-nx/source', '--import', tsx, script, ...args], {
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  return JSON.parse(run.stdout);
}
