import { addProjectConfiguration, readJson, readNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { configurationGenerator } from './configuration/generator';
import { initGenerator } from './init/generator';

describe('generators', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    addProjectConfiguration(tree, 'search', { root: 'apps/search' });
  });

  it('init registers the plugin and the dependency once, however often it runs', async () => {
    await initGenerator(tree, { skipFormat: true });
    await initGenerator(tree, { skipFormat: true, buildTargetName: 'other' });
    expect(readNxJson(tree)?.plugins).toEqual([
      { plugin: '@xtr-nx/executor', options: { buildTargetName: 'xtr-index', verifyTargetName: 'xtr-verify' } },
    ]);
    expect(readJson(tree, 'package.json').devDependencies['@xtr-nx/executor']).toBe('0.1.0');
  });

  it('configuration writes xtr.config.json with the chosen options and registers the plugin', async () => {
    await configurationGenerator(tree, {
      project: 'search',
      catalog: '../../data/chunks.duckdb',
      catalogTarget: 'data:export',
      dtype: 'float32',
      output: 'dist/index',
      skipFormat: true,
    });
    expect(readJson(tree, 'apps/search/xtr.config.json')).toEqual({
      catalog: { path: '../../data/chunks.duckdb', target: 'data:export' },
      encoder: { model: 'builtin:hash' },
      output: { dir: 'dist/index', dtype: 'float32' },
    });
    expect(readNxJson(tree)?.plugins).toHaveLength(1);
  });

  it('configuration refuses to overwrite an existing config', async () => {
    await configurationGenerator(tree, { project: 'search', catalog: 'c.duckdb', skipFormat: true });
    await expect(configurationGenerator(tree, { project: 'search', catalog: 'c.duckdb', skipFormat: true })).rejects.toThrow(
      /apps\/search\/xtr\.config\.json already exists/,
    );
  });
});
