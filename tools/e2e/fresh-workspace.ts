/**
 * End to end, as a new user: a brand-new Nx workspace in a temp folder installs this repository's
 * packages from packed tarballs, runs the init and configuration generators, gets a git-ignored
 * DuckDB catalog, and then proves the cache keys: miss, hit, restore byte-identical, miss on a
 * changed chunk, hit on a rewritten-but-equal catalog, verify passes. Then sharded-steps.ts: a sharded
 * project, one edited file rebuilding one shard, and shards built by clones sharing a remote cache.
 *
 *   tsx --conditions=@xtr-nx/source tools/e2e/fresh-workspace.ts [--keep]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import execa from 'execa';
import { type ChunkRow, writeCatalog } from '@xtr-nx/catalog';
import { shardedSteps } from './sharded-steps';

const ROOT = resolve(__dirname, '../..');
const PACKAGES = ['catalog', 'encoder', 'storage', 'search', 'executor'];
const NX_VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies.nx as string;

const PLUGIN = '@xtr-nx/executor/plugin';
const SCHEMA = 'src/config/xtr.config.schema.json';
const INSTALLED_SCHEMA = `node_modules/@xtr-nx/executor/${SCHEMA}`;
/** What a new user finds in each tarball, beside the code. */
const PACKED: Record<string, string[]> = { executor: ['dist/plugins/plugin.js', SCHEMA] };
const PACKED_DOCS = ['README.md', 'LICENSE'];

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  FORCE_COLOR: '0',
  // onnxruntime-node's install script downloads CUDA binaries unless told to skip (CI is
  // offline; the CPU binaries ship in the package). The variable, unlike an .npmrc key, is not an
  // npm config, so npm has nothing to warn about.
  ONNXRUNTIME_NODE_INSTALL: 'skip',
};
// npx and npm run export this repository's npm config to their children; the new workspace has its own.
delete env.npm_config_onnxruntime_node_install;
const plain = (text: string) => stripVTControlCharacters(text);

function step(title: string) {
  console.log(`\n=== ${title}`);
}

function check(condition: unknown, message: string, output = ''): void {
  if (!condition) throw new Error(`e2e: ${message}${output ? `\n--- output ---\n${output}` : ''}`);
}

/** Runs a command; returns stdout and stderr interleaved, or stdout alone when it is data. */
async function run(cwd: string, command: string, args: string[], stdoutOnly = false): Promise<string> {
  const result = await execa(command, args, { cwd, env, extendEnv: false, all: true, reject: false });
  const output = plain(result.all ?? '');
  check(result.exitCode === 0, `${command} ${args.join(' ')} exited ${result.exitCode}`, output);
  return stdoutOnly ? result.stdout : output;
}

const nx = (ws: string, ...args: string[]) => run(ws, 'npx', ['nx', ...args, '--outputStyle=static']);
const cacheHit = (output: string, task: string) =>
  new RegExp(`${task}\\s+\\[(local|remote) cache\\]|existing outputs match the cache`).test(output);

function rows(edit?: (row: ChunkRow) => ChunkRow): ChunkRow[] {
  const texts = [
    'export function getUserById(id: number) {\n  return users.get(id);\n}\n',
    'class UserRepository {\n  findByEmail(email: string) { return this.db.query(email); }\n}\n',
    'def parse_http_response(raw):\n    return json.loads(raw)\n',
    'SELECT id, content FROM chunks ORDER BY id;\n',
  ];
  return texts.map((content, i) => {
    const row: ChunkRow = {
      id: BigInt(100 + i),
      uri: `src/f${i}.ts`,
      startLine: 1,
      endLine: 3,
      startByte: 0,
      endByte: content.length,
      preview: '',
      content,
      lang: 'typescript',
    };
    return edit ? edit(row) : row;
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `count` chunks of code: a catalog whose build runs long enough to be interrupted. */
function manyRows(count: number): ChunkRow[] {
  const [first] = rows();
  return Array.from({ length: count }, (_, i) => ({
    ...first,
    id: BigInt(i + 1),
    content: `${first.content}// ${i}\n`.repeat(8),
  }));
}

const digest = (dir: string) =>
  readdirSync(dir)
    .sort()
    .map(
      (f) =>
        `${f}:${createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex')}`,
    )
    .join('\n');

async function main() {
  const keep = process.argv.includes('--keep');
  const base = mkdtempSync(join(tmpdir(), 'xtr-e2e-'));
  const ws = join(base, 'workspace');
  const tarballs = join(base, 'tarballs');
  try {
    step('build and pack @xtr-nx packages');
    await run(ROOT, 'npx', ['nx', 'run-many', '-t', 'build', '--projects=@xtr-nx/*', '--outputStyle=static']);
    mkdirSync(tarballs);
    const packed: Record<string, string> = {};
    for (const name of PACKAGES) {
      const args = ['pack', '--json', '--pack-destination', tarballs];
      const json = await run(join(ROOT, 'packages', name), 'npm', args, true);
      const [{ filename, files }] = JSON.parse(json) as { filename: string; files: { path: string }[] }[];
      const contents = files.map((file) => file.path);
      const missing = [...PACKED_DOCS, ...(PACKED[name] ?? [])].filter((path) => !contents.includes(path));
      check(missing.length === 0, `@xtr-nx/${name} tarball lacks ${missing.join(', ')}`, contents.join('\n'));
      packed[`@xtr-nx/${name}`] = `file:${join(tarballs, filename)}`;
    }

    step('create a new Nx workspace and install from the tarballs');
    mkdirSync(ws);
    // A cold cache of its own, removed with the workspace (Nx 23 defaults to one under ~/.nx).
    env.NX_CACHE_DIRECTORY = join(ws, '.nx/cache');
    writeFileSync(
      join(ws, 'package.json'),
      JSON.stringify(
        { name: 'e2e-workspace', private: true, devDependencies: { nx: NX_VERSION, ...packed }, overrides: packed },
        null,
        2,
      ),
    );
    writeFileSync(join(ws, 'nx.json'), JSON.stringify({ neverConnectToCloud: true }, null, 2));
    writeFileSync(join(ws, '.gitignore'), 'node_modules\n.nx\ndist\ndata/*.duckdb\n');
    mkdirSync(join(ws, 'apps/search'), { recursive: true });
    writeFileSync(join(ws, 'apps/search/project.json'), JSON.stringify({ name: 'search' }, null, 2));
    await run(ws, 'git', ['init', '-q']);
    const installed = await run(ws, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline']);
    check(!/Unknown (project|user|global|env) config/.test(installed), 'npm warned about its configuration', installed);

    step('nx g @xtr-nx/executor:init (what nx add runs), twice: idempotent');
    await nx(ws, 'g', '@xtr-nx/executor:init');
    const nxJsonAfterInit = readFileSync(join(ws, 'nx.json'), 'utf8');
    await nx(ws, 'g', '@xtr-nx/executor:init');
    check(readFileSync(join(ws, 'nx.json'), 'utf8') === nxJsonAfterInit, 'init is not idempotent');
    const plugins: { plugin: string }[] = JSON.parse(nxJsonAfterInit).plugins ?? [];
    check(
      plugins.some((p) => p.plugin === PLUGIN),
      `${PLUGIN} not registered`,
      nxJsonAfterInit,
    );

    step('nx g @xtr-nx/executor:configuration');
    await nx(
      ws,
      'g',
      '@xtr-nx/executor:configuration',
      '--project=search',
      '--catalog=../../data/chunks.duckdb',
      '--output=dist/xtr',
    );
    const config = JSON.parse(readFileSync(join(ws, 'apps/search/xtr.config.json'), 'utf8'));
    const configText = JSON.stringify(config);
    check(config.$schema === `../../${INSTALLED_SCHEMA}`, 'xtr.config.json lacks $schema for the package', configText);
    check(existsSync(join(ws, 'apps/search', config.$schema)), `$schema points at nothing: ${config.$schema}`);
    const shown = JSON.parse(await run(ws, 'npx', ['nx', 'show', 'project', 'search', '--json'], true));
    const { 'xtr-index': indexTarget, 'xtr-verify': verifyTarget } = shown.targets;
    check(indexTarget && verifyTarget, 'targets not inferred', JSON.stringify(shown));
    // An npm workspace runs package bins with npx; the help command must work as printed.
    const help = indexTarget.metadata?.help?.command;
    check(help === 'npx xtr build --help', `help should use npx: ${help}`, JSON.stringify(indexTarget.metadata));
    check(/--dtype/.test(await run(ws, 'npx', ['xtr', 'build', '--help'])), 'npx xtr build --help printed no options');
    const verifyInputs = JSON.stringify(verifyTarget.inputs);
    check(
      verifyInputs.includes('"dependentTasksOutputFiles":"**/xtr.manifest.json"') && !verifyInputs.includes('"**/*"'),
      'xtr-verify must hash the index manifest, not the whole index',
      verifyInputs,
    );

    step('a git-ignored DuckDB catalog');
    mkdirSync(join(ws, 'data'));
    const catalog = join(ws, 'data/chunks.duckdb');
    await writeCatalog(catalog, rows());

    step('first build: a cache miss');
    let out = await nx(ws, 'run', 'search:xtr-index');
    check(
      !cacheHit(out, 'search:xtr-index') && /xtr index built: apps\/search\/dist\/xtr/.test(out),
      'first build should run',
      out,
    );
    const index = join(ws, 'apps/search/dist/xtr');
    const built = digest(index);

    step('second build: a cache hit');
    out = await nx(ws, 'run', 'search:xtr-index');
    check(cacheHit(out, 'search:xtr-index'), 'second build should be a cache hit', out);

    step('output deleted: restored from the cache, byte-identical');
    rmSync(index, { recursive: true });
    out = await nx(ws, 'run', 'search:xtr-index');
    check(
      cacheHit(out, 'search:xtr-index') && digest(index) === built,
      'restore from cache is not byte-identical',
      out,
    );

    step('one chunk changed in the git-ignored catalog: a miss that encodes only that chunk');
    await writeCatalog(
      catalog,
      rows((r) => (r.id === 101n ? { ...r, content: `${r.content}// edited\n` } : r)),
    );
    out = await nx(ws, 'run', 'search:xtr-index');
    // Nx leaves a target's outputs in place on a cache miss: the previous index lends the rest.
    check(
      !cacheHit(out, 'search:xtr-index') && /reuse +3 reused \(3 from the previous index\), 1 encoded/.test(out),
      'a changed chunk must rebuild, encoding that chunk alone',
      out,
    );
    const edited = digest(index);

    step('index folder gone and one more chunk changed: the vector store lends the rest');
    rmSync(index, { recursive: true });
    await writeCatalog(
      catalog,
      rows((r) => ({
        ...r,
        content: `${r.content}${r.id === 101n ? '// edited\n' : r.id === 102n ? '// again\n' : ''}`,
      })),
    );
    out = await nx(ws, 'run', 'search:xtr-index');
    check(
      /reuse +3 reused \(3 from the vector store\), 1 encoded/.test(out) &&
        existsSync(join(ws, 'node_modules/.cache/xtr-nx/vectors/CACHEDIR.TAG')),
      'the store under node_modules/.cache should lend the unchanged chunks',
      out,
    );
    out = await nx(ws, 'run', 'search:xtr-index', '--full', '--skip-nx-cache');
    check(/reuse +0 reused, 4 encoded/.test(out), '--full must encode every chunk', out);
    await writeCatalog(
      catalog,
      rows((r) => (r.id === 101n ? { ...r, content: `${r.content}// edited\n` } : r)),
    );
    out = await nx(ws, 'run', 'search:xtr-index');
    check(cacheHit(out, 'search:xtr-index') && digest(index) === edited, 'back to the edited catalog: a hit', out);

    step('catalog rewritten with the same rows (new file, other row order): a hit');
    const before = createHash('sha256').update(readFileSync(catalog)).digest('hex');
    await writeCatalog(
      catalog,
      rows((r) => (r.id === 101n ? { ...r, content: `${r.content}// edited\n` } : r)).reverse(),
    );
    check(
      createHash('sha256').update(readFileSync(catalog)).digest('hex') !== before,
      'the rewritten catalog should differ in bytes',
    );
    out = await nx(ws, 'run', 'search:xtr-index');
    check(cacheHit(out, 'search:xtr-index'), 'equal rows must stay a cache hit', out);

    step('xtr-verify passes');
    out = await nx(ws, 'run', 'search:xtr-verify');
    check(
      /xtr verify: apps\/search\/dist\/xtr OK \(4 chunks/.test(out) || cacheHit(out, 'search:xtr-verify'),
      'verify failed',
      out,
    );

    step("npx xtr search answers from the installed packages, with the catalog's uri");
    out = await run(
      ws,
      'npx',
      ['xtr', 'search', 'user', '--config', 'apps/search/xtr.config.json', '--k', '2', '--json'],
      true,
    );
    const hits = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    check(
      hits.length === 2 && hits.every((hit) => typeof hit.uri === 'string' && hit.rank > 0),
      'xtr search gave no hits',
      out,
    );

    step('Ctrl-C during a build (SIGINT to the process group, as a terminal sends it)');
    const kept = digest(index);
    // Large enough that the build is still encoding when the signal arrives (seconds, not milliseconds).
    await writeCatalog(catalog, manyRows(30_000));
    const outputs = join(ws, 'apps/search/dist');
    const staged = () => readdirSync(outputs).some((name) => name.startsWith('.xtr.xtr-staging-'));
    const build = execa('npx', ['nx', 'run', 'search:xtr-index', '--outputStyle=static'], {
      cwd: ws,
      env,
      extendEnv: false,
      detached: true,
      reject: false,
      all: true,
    });
    const started = Date.now();
    while (!staged() && build.exitCode === null && Date.now() - started < 120_000) await delay(20);
    if (!staged()) check(false, 'the build never started writing, so it could not be interrupted', (await build).all);
    process.kill(-(build.pid as number), 'SIGINT');
    const interrupted = await build;
    check(interrupted.exitCode !== 0, 'an interrupted build must fail', plain(interrupted.all ?? ''));
    // Nx dies of the signal at once; the build process cleans up and exits on its own a moment later.
    // (Its one-line message goes to Nx, which is gone by then: the CLI spec checks the message.)
    const leftovers = () => readdirSync(outputs).filter((name) => name !== 'xtr');
    const signalled = Date.now();
    while (leftovers().length > 0 && Date.now() - signalled < 15_000) await delay(50);
    check(leftovers().length === 0, `staging folder or lock left behind: ${leftovers().join(', ')}`);
    check(digest(index) === kept, 'the interrupted build changed the published index');

    await shardedSteps(ws, { env, step, check });
    console.log('\nfresh workspace e2e: passed');
  } finally {
    if (keep) console.log(`kept ${base}`);
    else rmSync(base, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
