import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import execa from 'execa';
import { type ChunkRow, writeCatalog } from '@xtr-nx/catalog';
import { type TestModel, writeTestModel as writeEncoderTestModel } from '@xtr-nx/encoder/testing';

export const SAMPLE_SOURCES = [
  'export function getUserById(id: number) {\n  return users.get(id);\n}\n',
  'class UserRepository {\n  findByEmail(email: string) { return this.db.query(email); }\n}\n',
  'def parse_http_response(raw):\n    return json.loads(raw)\n',
  '',
];

export function chunkRow(id: bigint | null, content: string | null): ChunkRow {
  return {
    id,
    uri: `src/f${id}.ts`,
    startLine: 1,
    endLine: 3,
    startByte: 0,
    endByte: 10,
    preview: '',
    content,
    lang: 'typescript',
  };
}

const workspaces: string[] = [];
// Imported by spec files only: every workspace made here is removed when its test file ends.
afterAll(() => workspaces.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

/**
 * A temporary workspace folder with a catalog of `rows` and an `xtr.config.json` pointing at it.
 * The vector store is off unless `config` sets one: outside a JavaScript workspace it would be
 * the user's cache folder, shared by every test.
 */
export async function makeWorkspace(rows: readonly ChunkRow[], config: object = {}): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'xtr-ws-'));
  workspaces.push(root);
  await writeCatalog(join(root, 'catalog.duckdb'), rows);
  writeFileSync(
    join(root, 'xtr.config.json'),
    JSON.stringify({ catalog: { path: 'catalog.duckdb' }, output: { dir: 'out/index' }, store: false, ...config }),
  );
  return root;
}

/** Loads an index with numpy the way the existing Python reader does; rejects on a failed check. */
export async function checkIndexWithNumpy(dir: string): Promise<Record<string, number | string>> {
  const script = join(__dirname, '../../../../tools/python/check_index.py');
  return JSON.parse((await execa(process.env.XTR_PYTHON ?? 'python3', [script, dir])).stdout);
}

/**
 * Runs the `xtr` CLI from source, as a user's shell would run the installed bin: one node
 * process (tsx as a loader, not a wrapper), so signals reach the build itself.
 */
export function runCli(args: readonly string[], cwd: string) {
  return execa(process.execPath, cliArgs(args), { cwd, reject: false });
}

function cliArgs(args: readonly string[]): string[] {
  const entry = join(__dirname, '../cli/xtr.ts');
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  return ['--conditions=@xtr-nx/source', '--import', tsx, entry, ...args];
}

/**
 * Runs the CLI in a mount namespace of its own (unprivileged, via unshare) after `mount`, a shell
 * command that mounts test file systems (a tiny or read-only tmpfs) under `cwd`; `after` runs
 * once the CLI has exited, in the same namespace, and its output follows the CLI's. The mounts
 * vanish with the namespace: nothing to clean up on the machine.
 */
export function runCliMounted(mount: string, after: string, args: readonly string[], cwd: string) {
  const script = `${mount} || exit 99; "$0" "$@"; code=$?; ${after}; exit $code`;
  return execa(
    'unshare',
    ['--user', '--map-root-user', '--mount', 'sh', '-c', script, process.execPath, ...cliArgs(args)],
    { cwd, reject: false },
  );
}

/** `count` chunks of realistic code, a few hundred tokens each. */
export function manyChunks(count: number): ChunkRow[] {
  return Array.from({ length: count }, (_, i) =>
    chunkRow(BigInt(i + 1), `${SAMPLE_SOURCES[i % 3]}// chunk ${i}\n`.repeat(8)),
  );
}

/** A trained tokenizer and a small random transformer (projected to 32) in `dir`. */
export function writeTestModel(dir: string): TestModel {
  const trainingFiles = [join(__dirname, '../pipeline/build-index.ts'), join(__dirname, '../plugins/plugin.ts')];
  return writeEncoderTestModel(dir, { trainingFiles, seed: 1, projectionDim: 32 });
}

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
