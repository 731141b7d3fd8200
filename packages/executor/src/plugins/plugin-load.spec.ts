import { join, relative } from 'node:path';
import execa from 'execa';

/** What Nx must not load in every plugin worker: the native engines and the config validator. */
const HEAVY = ['@duckdb/node-api', 'onnxruntime-node', 'tokenizers', 'ajv'];
const SRC = join(__dirname, '..');

/**
 * Requires `entry` in a fresh node (the sources through tsx, as the workspace's own plugin entry
 * loads them) and returns every module file it loaded.
 */
async function modulesLoadedBy(entry: string): Promise<string[]> {
  const script = `require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(require.cache)));`;
  const args = ['--conditions=@xtr-nx/source', '--require', require.resolve('tsx/cjs'), '-e', script];
  const { stdout } = await execa(process.execPath, args);
  return JSON.parse(stdout);
}

const posixPath = (path: string) => path.split(/[\\/]/).join('/');
const heavyIn = (modules: string[]) =>
  HEAVY.filter((name) => modules.some((path) => posixPath(path).includes(`/node_modules/${name}/`)));

describe('loading the plugin', () => {
  it('loads none of the engines, only the plugin, the shared defaults, the shard layout and the package metadata', async () => {
    const modules = await modulesLoadedBy(join(SRC, 'plugins/plugin.ts'));
    expect(heavyIn(modules)).toEqual([]);
    const own = modules.map((path) => posixPath(relative(SRC, path))).filter((path) => !path.startsWith('..'));
    expect(own.filter((path) => !path.startsWith('plugins/')).sort()).toEqual([
      'config/defaults.ts',
      'config/shard-options.ts',
      'tool.ts',
    ]);
  });

  // The check above is only worth something if it sees the engines when they are loaded.
  it('sees every engine when the package main entry is loaded instead', async () => {
    expect(heavyIn(await modulesLoadedBy(join(SRC, 'index.ts')))).toEqual(HEAVY);
  });
});
