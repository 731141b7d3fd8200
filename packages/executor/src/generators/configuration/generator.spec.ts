import {
  addProjectConfiguration,
  readJson,
  readNxJson,
  readProjectConfiguration,
  type Tree,
  updateNxJson,
} from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { BUILTIN_MODEL, DEFAULT_DTYPE, DEFAULT_OUTPUT_DIR, DEFAULT_TABLE } from '../../config/defaults';
import { configurationGenerator } from './generator';
import schema from './schema.json';

jest.mock('@nx/devkit', () => ({
  ...jest.requireActual('@nx/devkit'),
  createProjectGraphAsync: jest.fn(async () => ({ nodes: {}, dependencies: {} })),
}));

const INSTALLED_SCHEMA = 'node_modules/@xtr-nx/executor/src/config/xtr.config.schema.json';

describe('configuration generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    addProjectConfiguration(tree, 'search', { root: 'apps/search' });
  });

  it('writes xtr.config.json with the chosen options and registers the plugin', async () => {
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
    expect(readNxJson(tree)?.plugins).toEqual([expect.objectContaining({ plugin: '@xtr-nx/executor/plugin' })]);
  });

  it('points $schema at the installed package, relative to the project', async () => {
    tree.write(INSTALLED_SCHEMA, '{}');
    addProjectConfiguration(tree, 'root', { root: '.' });
    await configurationGenerator(tree, { project: 'search', catalog: 'c.duckdb', skipFormat: true });
    await configurationGenerator(tree, { project: 'root', catalog: 'c.duckdb', skipFormat: true });
    expect(readJson(tree, 'apps/search/xtr.config.json').$schema).toBe(`../../${INSTALLED_SCHEMA}`);
    expect(readJson(tree, 'xtr.config.json').$schema).toBe(`./${INSTALLED_SCHEMA}`);
  });

  it('leaves $schema out when the package is not installed where it could point', async () => {
    await configurationGenerator(tree, { project: 'search', catalog: 'c.duckdb', skipFormat: true });
    expect(readJson(tree, 'apps/search/xtr.config.json')).not.toHaveProperty('$schema');
  });

  it('refuses to overwrite an existing config', async () => {
    await configurationGenerator(tree, { project: 'search', catalog: 'c.duckdb', skipFormat: true });
    const again = configurationGenerator(tree, { project: 'search', catalog: 'c.duckdb', skipFormat: true });
    await expect(again).rejects.toThrow(/apps\/search\/xtr\.config\.json already exists/);
  });

  it('writes the targets into the project when the workspace does not use inferred targets', async () => {
    updateNxJson(tree, { ...readNxJson(tree), useInferencePlugins: false });
    const options = { project: 'search', catalog: 'c.duckdb', catalogTarget: 'catalog', skipFormat: true };
    await configurationGenerator(tree, options);
    expect(readNxJson(tree)?.plugins).toBeUndefined();
    const { targets } = readProjectConfiguration(tree, 'search');
    expect(targets?.['xtr-index']).toMatchObject({
      executor: '@xtr-nx/executor:build',
      options: { config: 'apps/search/xtr.config.json' },
      dependsOn: ['catalog'],
      outputs: ['{projectRoot}/dist/xtr'],
    });
    expect(targets?.['xtr-verify']).toMatchObject({ executor: '@xtr-nx/executor:verify', dependsOn: ['xtr-index'] });
    expect(targets?.['xtr-index']).not.toHaveProperty('metadata');
  });

  it('documents the defaults it applies', () => {
    const { properties } = schema;
    expect(properties.table.description).toContain(DEFAULT_TABLE);
    expect(properties.model.description).toContain(BUILTIN_MODEL);
    expect(properties.dtype.description).toContain(DEFAULT_DTYPE);
    expect(properties.output.description).toContain(DEFAULT_OUTPUT_DIR);
  });
});
