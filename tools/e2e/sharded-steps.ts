/**
 * The sharded half of the fresh-workspace e2e (fresh-workspace.ts calls it after its own steps):
 * a second project with `"shards": 3` and a git-ignored catalog of 60 chunks in 20 files.
 *
 *   1. `nx run sharded:xtr-index` runs the plan, three shards and the merge; the merged index has
 *      the bytes of an unsharded `xtr build` of the same catalog.
 *   2. One file's chunks edited: the plan, that file's shard (encoding those chunks alone) and the
 *      merge run, the other shards are local cache hits, and the Nx cache grows by about one shard
 *      plus the merged index, not by a whole index per shard.
 *   3. Distribution on one machine: a remote cache server on loopback and three clones with caches
 *      of their own. A builds shards 0 and 1, B shard 2; C then gets the plan and every shard from
 *      the remote cache, runs only the merge, and ends with the bytes of the one-machine build.
 *
 * Every Nx run is time-boxed and runs in its own process group, killed whole on timeout.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type ChunkRow, writeCatalog } from '@xtr-nx/catalog';
import { runTimeBoxed, type TimeBoxed } from '../process/time-boxed';
import { startRemoteCache } from '../remote-cache/server';

/** What fresh-workspace.ts lends: its environment and its step/check helpers. */
export interface E2eHelpers {
  env: NodeJS.ProcessEnv;
  step(title: string): void;
  check(condition: unknown, message: string, output?: string): void;
}

const PROJECT = 'sharded';
const BUILD = 'xtr-index';
const SHARDS = 3;
const FILES = 20;
const CHUNKS_PER_FILE = 3;
/** The file whose chunks step 2 edits. */
const EDITED = 'src/module7.ts';
const CATALOG = 'data/sharded.duckdb';
const PROJECT_FILES = ['project.json', 'xtr.config.json'];
const INDEX_FILES = ['index.meta.json', 'tokens.f16', 'xtr.manifest.json'];
/** One Nx run on a 2-core machine takes 2-6 s; a hung one is killed long before CI gives up. */
const NX_TIMEOUT_MS = 120_000;
const TOKEN = 'xtr-e2e-sharded-rw';

const shardName = (shard: number) => `shard-${String(shard).padStart(3, '0')}`;
const task = (target: string) => `${PROJECT}:${target}`;
const PLAN_TASK = task(`${BUILD}--plan`);
const SHARD_TASKS = Array.from({ length: SHARDS }, (_, shard) => task(`${BUILD}--${shardName(shard)}`));
const MERGE_TASK = task(BUILD);

/** 60 chunks of code in 20 files (distinct `uri`s, three chunks each); `edited` gets a comment appended. */
function shardedRows(edited?: string): ChunkRow[] {
  const rows: ChunkRow[] = [];
  for (let file = 0; file < FILES; file++) {
    const uri = `src/module${file}.ts`;
    for (let part = 0; part < CHUNKS_PER_FILE; part++) {
      let content = `export function handle${file}Part${part}(input: Request${file}) {\n  return service${file}.process${part}(input, ${file * part});\n}\n`;
      if (uri === edited) content += `// edited\n`;
      rows.push({
        id: BigInt(1000 + file * 10 + part),
        uri,
        startLine: 1 + 4 * part,
        endLine: 3 + 4 * part,
        startByte: 0,
        endByte: content.length,
        preview: '',
        content,
        lang: 'typescript',
      });
    }
  }
  return rows;
}

/** The environment of one workspace's Nx: no inherited NX_ or npm_ variables, its own cache folder. */
function nxEnv(base: NodeJS.ProcessEnv, cacheDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(Object.entries(base).filter(([key]) => !/^(NX_|npm_)/i.test(key))),
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    FORCE_COLOR: '0',
    NX_CACHE_DIRECTORY: cacheDir,
    ...extra,
  };
}

/**
 * Runs a command time-boxed in its own process group (tools/process); fails on a timeout or a
 * non-zero exit.
 */
async function boxed(
  { check }: E2eHelpers,
  cwd: string,
  env: NodeJS.ProcessEnv,
  command: string,
  args: string[],
  timeoutMs = NX_TIMEOUT_MS,
): Promise<TimeBoxed> {
  const run = await runTimeBoxed(command, args, { cwd, env, timeoutMs });
  const line = `${command} ${args.join(' ')}`;
  check(!run.timedOut, `${line} still running after ${timeoutMs / 1000} s: killed`, run.output);
  check(run.exitCode === 0, `${line} exited ${run.exitCode}`, run.output);
  return run;
}

/** Nx from the workspace's own node_modules (a clone's is a symlink to the original's). */
const nx = (helpers: E2eHelpers, ws: string, env: NodeJS.ProcessEnv, ...args: string[]) =>
  boxed(helpers, ws, env, process.execPath, [
    join(ws, 'node_modules/nx/dist/bin/nx.js'),
    ...args,
    '--outputStyle=static',
  ]);

type Outcome = 'ran' | 'local cache' | 'remote cache';

/**
 * What happened to each task, from Nx's static output: a header line per task,
 * `> nx run sharded:xtr-index--shard-000  [local cache]`, with no tag when the task ran.
 */
function outcomes(output: string): Map<string, Outcome> {
  const found = new Map<string, Outcome>();
  for (const [, name, tag] of output.matchAll(/^> nx run (\S+)(.*)$/gm)) {
    const outcome: Outcome | string = /\[remote cache\]/.test(tag)
      ? 'remote cache'
      : /\[local cache\]|existing outputs match the cache/.test(tag)
        ? 'local cache'
        : tag.trim() === ''
          ? 'ran'
          : tag.trim();
    found.set(name, outcome as Outcome);
  }
  return found;
}

const describe = (found: Map<string, Outcome>) =>
  [...found].map(([name, outcome]) => `    ${name.padEnd(32)} ${outcome}`).join('\n');

/** Checks that exactly `expected` tasks appear in the output, each with its outcome; prints them. */
function expectOutcomes(helpers: E2eHelpers, output: string, expected: Record<string, Outcome>, message: string) {
  const found = outcomes(output);
  console.log(describe(found));
  const wanted = Object.entries(expected);
  const ok = found.size === wanted.length && wanted.every(([name, outcome]) => found.get(name) === outcome);
  const want = wanted.map(([name, outcome]) => `    ${name.padEnd(32)} ${outcome}`).join('\n');
  helpers.check(ok, `${message}\nexpected:\n${want}\nfound:\n${describe(found)}`, output);
}

/** One task's part of Nx's static output: from its header to the next header or Nx banner. */
function section(output: string, name: string): string {
  const start = output.search(new RegExp(`^> nx run ${name}(\\s|$)`, 'm'));
  if (start < 0) return '';
  const rest = output.slice(start);
  const end = rest.slice(1).search(/^(> nx run | NX )/m);
  return end < 0 ? rest : rest.slice(0, end + 1);
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** `file: sha256` for each file of an index folder, which must hold exactly the three index files. */
function indexDigest({ check }: E2eHelpers, dir: string): string {
  const files = readdirSync(dir).sort();
  check(files.join() === INDEX_FILES.join(), `${dir} should hold ${INDEX_FILES.join(', ')}`, files.join('\n'));
  return files.map((file) => `${file}: ${sha256(join(dir, file))}`).join('\n');
}

async function du(helpers: E2eHelpers, path: string): Promise<number> {
  const { stdout } = await boxed(helpers, '/', helpers.env, 'du', ['-sb', path], 60_000);
  return Number(stdout.split(/\s/)[0]);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Chunk ids per shard, from the plan's `xtr.shard-NNN.json` files. */
function planIds(planDir: string): string[][] {
  return Array.from({ length: SHARDS }, (_, shard) => {
    const file = join(planDir, `xtr.${shardName(shard)}.json`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { chunk_ids: string[] }).chunk_ids;
  });
}

export async function shardedSteps(ws: string, helpers: E2eHelpers): Promise<void> {
  const { step, check } = helpers;
  const started = Date.now();
  const cacheDir = helpers.env.NX_CACHE_DIRECTORY;
  check(cacheDir, 'fresh-workspace.ts should give the workspace a cache folder of its own (NX_CACHE_DIRECTORY)');
  const env = nxEnv(helpers.env, cacheDir as string);
  const projectDir = join(ws, 'apps', PROJECT);
  const index = join(projectDir, 'dist/xtr');
  const shardsDir = join(projectDir, 'dist/xtr-shards');

  step('sharded: a second project with "shards": 3 and a git-ignored catalog of 60 chunks in 20 files');
  mkdirSync(projectDir, { recursive: true });
  writeFileSync(join(projectDir, 'project.json'), JSON.stringify({ name: PROJECT }, null, 2));
  const config = {
    $schema: '../../node_modules/@xtr-nx/executor/src/config/xtr.config.schema.json',
    catalog: { path: `../../${CATALOG}` },
    output: { dir: 'dist/xtr' },
    shards: SHARDS,
  };
  writeFileSync(join(projectDir, 'xtr.config.json'), JSON.stringify(config, null, 2));
  const catalog = join(ws, CATALOG);
  await writeCatalog(catalog, shardedRows());
  const shown = await nx(helpers, ws, env, 'show', 'project', PROJECT, '--json');
  const targets = Object.keys(JSON.parse(shown.stdout).targets);
  console.log(`  nx show project ${PROJECT}: ${targets.join(', ')}`);
  const expectedTargets = [PLAN_TASK, ...SHARD_TASKS, MERGE_TASK].map((name) => name.split(':')[1]);
  check(
    expectedTargets.every((target) => targets.includes(target)),
    `expected the targets ${expectedTargets.join(', ')}`,
    targets.join('\n'),
  );

  step('sharded: nx run sharded:xtr-index runs the plan, 3 shards and the merge = an unsharded build');
  let run = await nx(helpers, ws, env, 'run', MERGE_TASK);
  expectOutcomes(
    helpers,
    run.output,
    Object.fromEntries([PLAN_TASK, ...SHARD_TASKS, MERGE_TASK].map((name) => [name, 'ran'])),
    'the first sharded build should run every task',
  );
  check(/chunks +60 from 20 files in 3 shards/.test(section(run.output, PLAN_TASK)), 'plan summary', run.output);
  // xtr.manifest.json records the catalog's path relative to the index folder, so the unsharded
  // build goes to a folder at the same depth as dist/xtr (dist/unsharded, beside it): then all
  // three files, manifest included, must be equal. --full: it encodes every chunk itself rather
  // than take the vectors the shards just stored.
  const unsharded = join(projectDir, 'dist/unsharded');
  const whole = await boxed(helpers, ws, env, 'npx', [
    'xtr',
    'build',
    '--config',
    `apps/${PROJECT}/xtr.config.json`,
    '--output-dir',
    `apps/${PROJECT}/dist/unsharded`,
    '--full',
  ]);
  check(
    /reuse +0 reused, 60 encoded/.test(whole.output),
    'the unsharded build should encode all 60 chunks',
    whole.output,
  );
  const merged = indexDigest(helpers, index);
  check(
    merged === indexDigest(helpers, unsharded),
    'the merged index differs from an unsharded build of the same catalog',
    `merged:\n${merged}\nunsharded:\n${indexDigest(helpers, unsharded)}`,
  );
  console.log(`  merged = unsharded (sha256):\n${merged.replace(/^/gm, '    ')}`);
  rmSync(unsharded, { recursive: true });

  step(`sharded: the chunks of ${EDITED} edited: the plan, one shard and the merge run`);
  // The file's chunks must all be in one shard's plan, and every chunk in exactly one shard.
  const editedIds = shardedRows()
    .filter((row) => row.uri === EDITED)
    .map((row) => String(row.id));
  const ids = planIds(join(shardsDir, 'plan'));
  check(ids.flat().length === 60 && new Set(ids.flat()).size === 60, 'the plan should list every chunk once');
  const owners = ids.flatMap((list, shard) => (editedIds.some((id) => list.includes(id)) ? [shard] : []));
  check(
    owners.length === 1 && editedIds.every((id) => ids[owners[0]].includes(id)),
    `${EDITED}'s chunks should all be in one shard: ${owners}`,
  );
  const owner = owners[0];
  const cacheBefore = await du(helpers, cacheDir as string);
  await writeCatalog(catalog, shardedRows(EDITED));
  run = await nx(helpers, ws, env, 'run', MERGE_TASK);
  const cacheAfter = await du(helpers, cacheDir as string);
  expectOutcomes(
    helpers,
    run.output,
    Object.fromEntries([
      [PLAN_TASK, 'ran'],
      ...SHARD_TASKS.map((name, shard) => [name, shard === owner ? 'ran' : 'local cache']),
      [MERGE_TASK, 'ran'],
    ]),
    `an edit to ${EDITED} should rebuild ${shardName(owner)} alone`,
  );
  const rebuilt = section(run.output, SHARD_TASKS[owner]);
  const reused = ids[owner].length - editedIds.length;
  check(
    new RegExp(`reuse +${reused} reused \\(${reused} from the previous index\\), ${editedIds.length} encoded`).test(
      rebuilt,
    ),
    `${shardName(owner)} should encode ${EDITED}'s ${editedIds.length} chunks alone`,
    rebuilt,
  );
  console.log(`  ${rebuilt.match(/reuse .*/)?.[0]}`);
  const growth = cacheAfter - cacheBefore;
  const shardBytes = await du(helpers, join(shardsDir, shardName(owner)));
  const planBytes = await du(helpers, join(shardsDir, 'plan'));
  const indexBytes = await du(helpers, index);
  console.log(
    [
      `  Nx cache growth   ${kib(growth)} (${cacheBefore} → ${cacheAfter} bytes, du -sb)`,
      `  ${shardName(owner)} folder  ${kib(shardBytes)}`,
      `  plan folder       ${kib(planBytes)}`,
      `  merged index      ${kib(indexBytes)}`,
      `  growth − (shard + plan + merged) = ${kib(growth - shardBytes - planBytes - indexBytes)} (terminal outputs, folders)`,
    ].join('\n'),
  );
  // One shard, the plan and the merged index, plus Nx's terminal outputs and folder entries: a
  // whole index per shard (3 × the merged index) would be far beyond this.
  check(
    growth >= shardBytes + indexBytes && growth <= shardBytes + planBytes + indexBytes + 128 * 1024,
    `the Nx cache should grow by about one shard + the plan + the merged index, not ${kib(growth)}`,
  );
  const oneMachine = indexDigest(helpers, index);

  step('sharded: distribution through a remote cache: clone A builds shards 0-1, B shard 2, C merges');
  const cache = await startRemoteCache({ tokens: { readWrite: [TOKEN] } });
  // Siblings of the workspace: the plan's cache key runs `node <relative path to xtr.js>
  // fingerprint`, and through the node_modules symlink that path leads into the original
  // workspace, the same text from every clone only when they are at the same depth.
  const clones = ['a', 'b', 'c'].map((name) => join(dirname(ws), `clone-${name}`));
  try {
    const [a, b, c] = clones.map((clone) => {
      mkdirSync(join(clone, 'apps', PROJECT), { recursive: true });
      mkdirSync(join(clone, 'data'));
      for (const file of ['package.json', 'package-lock.json', 'nx.json', '.gitignore']) {
        copyFileSync(join(ws, file), join(clone, file));
      }
      for (const file of PROJECT_FILES) copyFileSync(join(projectDir, file), join(clone, 'apps', PROJECT, file));
      copyFileSync(catalog, join(clone, CATALOG));
      symlinkSync(join(ws, 'node_modules'), join(clone, 'node_modules'), 'dir');
      return {
        dir: clone,
        // Its own Nx cache, and its own vector store: the default one lives in node_modules/.cache,
        // which the symlink would share with the original workspace and the other clones.
        env: nxEnv(helpers.env, join(clone, '.nx/cache'), {
          NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url,
          NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: TOKEN,
          XTR_STORE_DIR: join(clone, '.xtr-store'),
        }),
      };
    });
    // Checkouts have a .git; Nx runs without one too, but the clones should look like checkouts.
    for (const clone of [a, b, c]) await boxed(helpers, clone.dir, clone.env, 'git', ['init', '-q'], 30_000);

    console.log('  clone A: nx run-many -t xtr-index--shard-000 xtr-index--shard-001 -p sharded');
    run = await nx(
      helpers,
      a.dir,
      a.env,
      'run-many',
      '-t',
      `${BUILD}--shard-000`,
      `${BUILD}--shard-001`,
      '-p',
      PROJECT,
    );
    expectOutcomes(
      helpers,
      run.output,
      { [PLAN_TASK]: 'ran', [SHARD_TASKS[0]]: 'ran', [SHARD_TASKS[1]]: 'ran' },
      'clone A should run the plan and shards 0 and 1 (both targets of -t), nothing else',
    );
    for (const shard of [0, 1]) {
      check(
        new RegExp(`reuse +0 reused, ${ids[shard].length} encoded`).test(section(run.output, SHARD_TASKS[shard])),
        `clone A should encode all of ${shardName(shard)}`,
        run.output,
      );
    }
    check(
      cache.stats.gets === 3 && cache.stats.hits === 0 && cache.stats.puts === 3,
      `clone A: 3 remote misses, 3 uploads: ${JSON.stringify(cache.stats)}`,
    );

    console.log('  clone B: nx run-many -t xtr-index--shard-002 -p sharded');
    run = await nx(helpers, b.dir, b.env, 'run-many', '-t', `${BUILD}--shard-002`, '-p', PROJECT);
    expectOutcomes(
      helpers,
      run.output,
      { [PLAN_TASK]: 'remote cache', [SHARD_TASKS[2]]: 'ran' },
      "clone B should take A's plan from the remote cache and run shard 2",
    );
    check(
      cache.stats.gets === 5 && cache.stats.hits === 1 && cache.stats.puts === 4,
      `clone B: the plan hit, shard 2 missed and uploaded: ${JSON.stringify(cache.stats)}`,
    );

    console.log('  clone C: nx run sharded:xtr-index');
    run = await nx(helpers, c.dir, c.env, 'run', MERGE_TASK);
    expectOutcomes(
      helpers,
      run.output,
      Object.fromEntries([
        [PLAN_TASK, 'remote cache'],
        ...SHARD_TASKS.map((name) => [name, 'remote cache']),
        [MERGE_TASK, 'ran'],
      ]),
      'clone C should take the plan and every shard from the remote cache and run only the merge',
    );
    console.log(
      run.output
        .split('\n')
        .filter((line) => /^> nx run |^\s+Cache: /.test(line))
        .map((line) => `    C| ${line.trim()}`)
        .join('\n'),
    );
    const { stats } = cache;
    console.log(`  remote cache stats: ${JSON.stringify(stats)}`);
    check(
      stats.gets === 10 &&
        stats.hits === 5 &&
        stats.puts === 5 &&
        stats.conflicts === 0 &&
        stats.unauthorized === 0 &&
        stats.rejected === 0,
      `remote cache: 10 GETs (5 hits: B's plan, C's plan and 3 shards), 5 PUTs: ${JSON.stringify(stats)}`,
    );
    const cIndex = join(c.dir, 'apps', PROJECT, 'dist/xtr');
    check(
      indexDigest(helpers, cIndex) === oneMachine,
      "clone C's index differs from the one-machine build of the same catalog",
      `C:\n${indexDigest(helpers, cIndex)}\none machine:\n${oneMachine}`,
    );
    for (let shard = 0; shard < SHARDS; shard++) {
      const name = shardName(shard);
      check(
        indexDigest(helpers, join(c.dir, 'apps', PROJECT, 'dist/xtr-shards', name)) ===
          indexDigest(helpers, join(shardsDir, name)),
        `clone C's ${name} (from clone ${shard < 2 ? 'A' : 'B'}) differs from the one-machine ${name}`,
      );
    }
    console.log("  clone C's merged index and shards = the one-machine build (sha256)");
  } finally {
    await cache.close();
    for (const clone of clones) rmSync(clone, { recursive: true, force: true });
  }
  console.log(`\nsharded steps: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
