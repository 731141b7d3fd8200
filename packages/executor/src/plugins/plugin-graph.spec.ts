import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import execa from 'execa';

const NX_PACKAGE = require.resolve('nx/package.json');
const NX_BIN = join(dirname(NX_PACKAGE), (require(NX_PACKAGE) as { bin: { nx: string } }).bin.nx);
/** The packages the inferred targets name as externalDependencies: Nx must know them from the lock file. */
const PACKAGES = {
  '@xtr-nx/executor': '0.1.0',
  'onnxruntime-node': '1.0.0',
  tokenizers: '1.0.0',
  '@duckdb/node-api': '1.0.0',
};

/**
 * A workspace that registers this plugin from its source (Nx transpiles it, as in this repository)
 * with project `search` whose config builds in 3 shards from the catalog its `catalog` target
 * writes, and outputs on disk as the plan, one shard and the catalog leave them.
 */
function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'xtr-nx-graph-'));
  const files: Record<string, unknown> = {
    'nx.json': { neverConnectToCloud: true, plugins: [join(__dirname, 'plugin.ts')] },
    'tsconfig.base.json': { compilerOptions: { module: 'commonjs', target: 'es2022', moduleResolution: 'node' } },
    'package.json': { name: 'ws', private: true, devDependencies: PACKAGES },
    'package-lock.json': {
      name: 'ws',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'ws', devDependencies: PACKAGES },
        ...Object.fromEntries(
          Object.entries(PACKAGES).map(([name, version]) => [
            `node_modules/${name}`,
            { version, resolved: `https://registry.npmjs.org/${name}/-/x-${version}.tgz`, dev: true },
          ]),
        ),
      },
    },
    'apps/search/project.json': {
      name: 'search',
      targets: { catalog: { command: 'echo catalog', outputs: ['{workspaceRoot}/dist/catalog'] } },
    },
    'apps/search/xtr.config.json': {
      catalog: { path: '../../dist/catalog/c.duckdb', target: 'catalog' },
      output: { dir: 'dist/xtr' },
      shards: 3,
    },
    'dist/catalog/c.duckdb': 'catalog',
    'apps/search/dist/xtr-shards/plan/xtr.plan.json': {},
    'apps/search/dist/xtr-shards/plan/xtr.shard-000.json': {},
    'apps/search/dist/xtr-shards/plan/xtr.shard-001.json': {},
    'apps/search/dist/xtr-shards/plan/xtr.shard-002.json': {},
    'apps/search/dist/xtr-shards/shard-001/xtr.manifest.json': {},
    'apps/search/dist/xtr-shards/shard-001/tokens.f16': 'tokens',
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  // Nx and the plugin's own imports resolve from this repository's packages.
  symlinkSync(dirname(dirname(NX_PACKAGE)), join(root, 'node_modules'), 'junction');
  return root;
}

describe('the sharded targets in a real Nx workspace', () => {
  let root: string;
  beforeAll(() => {
    root = workspace();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Runs the workspace's Nx alone: nothing of the Nx task running this test leaks into it. */
  async function nx(...args: string[]): Promise<unknown> {
    const inherited = Object.entries(process.env).filter(([key]) => !/^(NX_|npm_)/i.test(key));
    const env = {
      ...Object.fromEntries(inherited),
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_TUI: 'false',
      NX_CACHE_DIRECTORY: join(root, '.nx/cache'),
    };
    const { stdout } = await execa(process.execPath, [NX_BIN, ...args], { cwd: root, env, extendEnv: false });
    return JSON.parse(stdout);
  }

  it('shows the plan, the shards and the merge as xtr-index, grouped, in nx show project', async () => {
    const project = (await nx('show', 'project', 'search', '--json')) as {
      targets: Record<string, { executor: string; dependsOn?: string[] }>;
      metadata: { targetGroups: Record<string, string[]> };
    };
    const shards = ['xtr-index--shard-000', 'xtr-index--shard-001', 'xtr-index--shard-002'];
    expect(project.metadata.targetGroups['XTR index']).toEqual([
      'xtr-index--plan',
      ...shards,
      'xtr-index',
      'xtr-verify',
    ]);
    expect(project.targets['xtr-index--plan']).toMatchObject({
      executor: '@xtr-nx/executor:plan',
      dependsOn: ['catalog'],
    });
    for (const shard of shards)
      expect(project.targets[shard]).toMatchObject({
        executor: '@xtr-nx/executor:build',
        dependsOn: ['xtr-index--plan'],
      });
    expect(project.targets['xtr-index']).toMatchObject({
      executor: '@xtr-nx/executor:merge',
      dependsOn: ['xtr-index--plan', ...shards.map((target) => ({ target, params: 'forward' }))],
    });
  }, 60_000);

  it('runs catalog → plan → shards → merge → verify in the task graph', async () => {
    const { tasks } = (await nx('run', 'search:xtr-verify', '--graph=stdout')) as {
      tasks: { dependencies: Record<string, string[]> };
    };
    const shards = ['search:xtr-index--shard-000', 'search:xtr-index--shard-001', 'search:xtr-index--shard-002'];
    expect(tasks.dependencies).toEqual({
      'search:xtr-verify': ['search:xtr-index'],
      'search:xtr-index': ['search:xtr-index--plan', ...shards],
      ...Object.fromEntries(shards.map((shard) => [shard, ['search:xtr-index--plan']])),
      'search:xtr-index--plan': ['search:catalog'],
      'search:catalog': [],
    });
  }, 60_000);

  // What Nx's hasher reads of the dependencies' outputs (workspace-relative paths matched by the globs).
  const depOutputs = async (target: string) =>
    ((await nx('show', 'target', 'inputs', `search:${target}`, '--json')) as { depOutputs: string[] }).depOutputs;

  it("keys a shard on its own plan file: not the catalog, not the other shards' plans", async () => {
    expect(await depOutputs('xtr-index--shard-001')).toEqual(['apps/search/dist/xtr-shards/plan/xtr.shard-001.json']);
  }, 60_000);

  it('keys the merge on the plan and the shard manifests, never a token matrix', async () => {
    expect((await depOutputs('xtr-index')).sort()).toEqual([
      'apps/search/dist/xtr-shards/plan/xtr.plan.json',
      'apps/search/dist/xtr-shards/shard-001/xtr.manifest.json',
    ]);
  }, 60_000);

  it("keys the plan on the catalog target's outputs", async () => {
    expect(await depOutputs('xtr-index--plan')).toEqual(['dist/catalog/c.duckdb']);
  }, 60_000);
});
