/**
 * Real Nx (this repository's node_modules/nx) against the server: throwaway workspaces in a temp
 * folder that borrow this repository's node_modules through a symlink (no npm install), one
 * cacheable `nx:run-commands` target that writes random bytes, and the self-hosted cache variables.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTimeBoxed, type TimeBoxed } from '../process/time-boxed';
import { type RemoteCache, startRemoteCache } from './server';

const ROOT = resolve(__dirname, '../..');
const NX_BIN = join(ROOT, 'node_modules/nx/dist/bin/nx.js');
const NX_VERSION = JSON.parse(readFileSync(join(ROOT, 'node_modules/nx/package.json'), 'utf8')).version as string;
const RW = 'integration-rw-token';
const RO = 'integration-ro-token';
const OUTPUT = 'proj/dist/out.bin';

/**
 * The task: random bytes, so a restored file can only have come from the cache. With RC_BARRIER
 * set (an environment variable, which is not part of the task hash) it first waits until
 * RC_PARTIES processes have reached the barrier, so racing clones both miss the cache.
 */
const BUILD_JS = `const fs = require('node:fs');
const path = require('node:path');
const barrier = process.env.RC_BARRIER;
if (barrier) {
  fs.writeFileSync(path.join(barrier, String(process.pid)), '');
  const until = Date.now() + 60000;
  while (fs.readdirSync(barrier).length < Number(process.env.RC_PARTIES) && Date.now() < until) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
}
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/out.bin', require('node:crypto').randomBytes(256 * 1024));
console.log('proj built');
`;

let base: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'nx-remote-cache-it-'));
});
afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

/** A minimal Nx workspace: nx.json, one project, this repository's node_modules. */
function workspace(name: string): string {
  const ws = join(base, name);
  mkdirSync(join(ws, 'proj'), { recursive: true });
  writeFileSync(join(ws, 'package.json'), JSON.stringify({ name: 'remote-cache-it', private: true }));
  // Neither this nor NX_NO_CLOUD turns the self-hosted cache off: they only rule out Nx Cloud.
  writeFileSync(join(ws, 'nx.json'), JSON.stringify({ neverConnectToCloud: true }));
  writeFileSync(join(ws, '.gitignore'), 'node_modules\n.nx\ndist\n');
  symlinkSync(join(ROOT, 'node_modules'), join(ws, 'node_modules'), 'dir');
  writeFileSync(join(ws, 'proj/build.js'), BUILD_JS);
  writeFileSync(
    join(ws, 'proj/project.json'),
    JSON.stringify({
      name: 'proj',
      targets: {
        build: {
          executor: 'nx:run-commands',
          cache: true,
          outputs: ['{projectRoot}/dist'],
          options: { command: 'node build.js', cwd: 'proj' },
        },
      },
    }),
  );
  return ws;
}

/**
 * `nx run proj:build` in `ws`, in its own process group, killed (the whole group) after
 * `timeoutMs`. The environment is this one without any NX_ or npm_ variable (the outer Nx that
 * runs jest sets some), plus the remote cache variables and a cache folder of the workspace's own.
 */
async function nx(
  ws: string,
  cache: RemoteCache,
  token: string | null,
  timeoutMs: number,
  extra = {},
): Promise<TimeBoxed> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(NX_|npm_)/i.test(key)),
  );
  Object.assign(env, {
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    FORCE_COLOR: '0',
    NX_CACHE_DIRECTORY: join(ws, '.nx/cache'),
    NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url,
    ...(token === null ? {} : { NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token }),
    ...extra,
  });
  return runTimeBoxed(process.execPath, [NX_BIN, 'run', 'proj:build', '--outputStyle=static'], {
    cwd: ws,
    env,
    timeoutMs,
  });
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const stored = (cache: RemoteCache) => readdirSync(join(cache.dir, 'entries'));

describe(`Nx ${NX_VERSION} with the self-hosted remote cache`, () => {
  let cache: RemoteCache;
  afterEach(async () => {
    await cache?.close();
  });

  it('stores from clone A and restores byte-identical into clone B', async () => {
    cache = await startRemoteCache({ tokens: { readWrite: [RW] } });
    const a = workspace('a');
    const b = workspace('b');

    const first = await nx(a, cache, RW, 60_000);
    expect(first).toMatchObject({ exitCode: 0, timedOut: false });
    expect(first.output).toMatch(/proj built/);
    expect(first.output).not.toMatch(/\[(remote|local) cache\]/);
    // One GET (a miss), then one PUT of the task's artifact.
    expect(cache.stats).toMatchObject({ gets: 1, hits: 0, puts: 1, conflicts: 0, unauthorized: 0 });
    const [hash] = stored(cache);
    expect(hash).toMatch(/^\d+$/);
    // The body is a gzipped tar, though the spec only says "tar archive".
    expect(readFileSync(join(cache.dir, 'entries', hash)).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

    const second = await nx(b, cache, RW, 60_000);
    expect(second).toMatchObject({ exitCode: 0, timedOut: false });
    expect(second.output).toMatch(/nx run proj:build\s+\[remote cache\]/);
    expect(cache.stats).toMatchObject({ gets: 2, hits: 1, puts: 1 });
    expect(sha256(join(b, OUTPUT))).toBe(sha256(join(a, OUTPUT)));

    // Clone A again: its own local cache answers, Nx does not ask the server.
    const again = await nx(a, cache, RW, 60_000);
    expect(again.output).toMatch(/\[local cache\]/);
    expect(cache.stats).toMatchObject({ gets: 2, puts: 1 });
  }, 200_000);

  it('with a read-only token: reads, runs the task on a miss, and takes the 403 on upload silently', async () => {
    cache = await startRemoteCache({ tokens: { readWrite: [RW], readOnly: [RO] } });
    const run = await nx(workspace('read-only'), cache, RO, 60_000);
    expect(run).toMatchObject({ exitCode: 0, timedOut: false });
    expect(run.output).toMatch(/proj built/);
    expect(cache.stats).toMatchObject({ gets: 1, puts: 0, forbidden: 1 });
    expect(stored(cache)).toEqual([]);
  }, 100_000);

  it.each([
    ['a wrong token', 'not-the-token'],
    ['no token', null],
  ])(
    'with %s: stops on the 401, shows the server message, runs nothing',
    async (_label, token) => {
      cache = await startRemoteCache({ tokens: { readWrite: [RW] } });
      const ws = workspace(`unauthorized-${token ?? 'none'}`);
      const run = await nx(ws, cache, token, 60_000);
      expect(run.timedOut).toBe(false);
      expect(run.exitCode).toBe(1);
      expect(run.output).toMatch(/Unauthorized: missing or invalid bearer token/);
      expect(run.output).not.toMatch(/proj built/);
      expect(existsSync(join(ws, OUTPUT))).toBe(false);
      expect(cache.stats).toMatchObject({ unauthorized: 1, gets: 0, puts: 0 });
    },
    100_000,
  );

  it('two clones racing on one hash: one PUT stored, the other 409, both succeed', async () => {
    cache = await startRemoteCache({ tokens: { readWrite: [RW] } });
    const barrier = join(base, 'barrier');
    mkdirSync(barrier);
    const race = { RC_BARRIER: barrier, RC_PARTIES: '2' };
    const [x, y] = [workspace('race-x'), workspace('race-y')];
    const runs = await Promise.all([nx(x, cache, RW, 90_000, race), nx(y, cache, RW, 90_000, race)]);
    for (const run of runs) {
      expect(run).toMatchObject({ exitCode: 0, timedOut: false });
      expect(run.output).toMatch(/proj built/);
    }
    expect(cache.stats).toMatchObject({ gets: 2, hits: 0, puts: 1, conflicts: 1 });
    expect(stored(cache)).toHaveLength(1);
  }, 200_000);

  it('with the server down: fails the run before the task, "Failed to send request"', async () => {
    cache = await startRemoteCache({ tokens: { readWrite: [RW] } });
    await cache.close(); // nothing listens on its port any more
    const ws = workspace('down');
    const run = await nx(ws, cache, RW, 60_000);
    expect(run).toMatchObject({ exitCode: 1, timedOut: false });
    expect(run.output).toMatch(/Failed to send request: error sending request for url/);
    expect(existsSync(join(ws, OUTPUT))).toBe(false);
  }, 100_000);

  /**
   * Nx 23.2.1's client sets no timeout (reqwest's default: none), so a server that accepts the
   * connection and never answers holds `nx run` before the task runs, silently, for as long as the
   * connection stays open (measured by hand: still waiting after 600 s). Here: 20 s of waiting, then
   * the server drops the connection, which makes Nx fail the run within a second or two. A 60 s
   * box kills the whole process group should Nx not end.
   */
  it('against a server that never answers: Nx waits with no timeout, then fails when the connection drops', async () => {
    cache = await startRemoteCache({ tokens: { readWrite: [RW] }, hang: true });
    const ws = workspace('hang');
    const running = nx(ws, cache, RW, 60_000);
    let ended = false;
    void running.then(() => (ended = true));
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    expect(ended).toBe(false);
    expect(cache.stats.hung).toBe(1); // the GET for the task's hash, never answered
    expect(existsSync(join(ws, OUTPUT))).toBe(false);

    await cache.close(); // drops the open connection
    const dropped = Date.now();
    const run = await running;
    expect(run.timedOut).toBe(false);
    expect((Date.now() - dropped) / 1000).toBeLessThan(10);
    expect(run.seconds).toBeGreaterThanOrEqual(20);
    expect(run.exitCode).toBe(1);
    expect(run.output).toMatch(/Failed to send request/);
    expect(run.output).not.toMatch(/proj built/);
    expect(existsSync(join(ws, OUTPUT))).toBe(false);
  }, 100_000);
});
