import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ProjectGraph, readJson, readNxJson, type Tree, updateNxJson } from '@nx/devkit';
import { FsTree } from '@nx/devkit/internal';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { initGenerator } from './generator';

let mockGraph: ProjectGraph = { nodes: {}, dependencies: {} };
jest.mock('@nx/devkit', () => ({
  ...jest.requireActual('@nx/devkit'),
  createProjectGraphAsync: jest.fn(async () => mockGraph),
}));

const REGISTERED = {
  plugin: '@xtr-nx/executor/plugin',
  options: { buildTargetName: 'xtr-index', verifyTargetName: 'xtr-verify' },
};

describe('init generator', () => {
  let tree: Tree;
  beforeEach(() => {
    mockGraph = { nodes: {}, dependencies: {} };
    tree = createTreeWithEmptyWorkspace();
  });

  it('registers the plugin by its subpath and adds the package to devDependencies', async () => {
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins).toEqual([REGISTERED]);
    expect(readJson(tree, 'package.json').devDependencies['@xtr-nx/executor']).toBe('0.1.0');
  });

  it('changes nothing when run again, whatever target names it is given', async () => {
    await initGenerator(tree, { skipFormat: true });
    const nxJson = tree.read('nx.json', 'utf8');
    await initGenerator(tree, { skipFormat: true, buildTargetName: 'other' });
    expect(tree.read('nx.json', 'utf8')).toBe(nxJson);
  });

  it('counts a registration under the package name as registered', async () => {
    updateNxJson(tree, { ...readNxJson(tree), plugins: ['@xtr-nx/executor'] });
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins).toEqual(['@xtr-nx/executor']);
  });

  it('keeps a version of the package the workspace already asks for', async () => {
    tree.write('package.json', JSON.stringify({ devDependencies: { '@xtr-nx/executor': 'file:../xtr.tgz' } }));
    await initGenerator(tree, { skipFormat: true });
    expect(readJson(tree, 'package.json').devDependencies['@xtr-nx/executor']).toBe('file:../xtr.tgz');
  });

  describe('in workspaces that opted out of inferred targets', () => {
    const previous = process.env.NX_ADD_PLUGINS;
    afterEach(() => {
      if (previous === undefined) delete process.env.NX_ADD_PLUGINS;
      else process.env.NX_ADD_PLUGINS = previous;
    });

    it('does not register the plugin when nx.json sets useInferencePlugins: false', async () => {
      updateNxJson(tree, { ...readNxJson(tree), useInferencePlugins: false });
      await initGenerator(tree, { skipFormat: true });
      expect(readNxJson(tree)?.plugins).toBeUndefined();
    });

    it('does not register the plugin under NX_ADD_PLUGINS=false, unless addPlugin asks for it', async () => {
      process.env.NX_ADD_PLUGINS = 'false';
      await initGenerator(tree, { skipFormat: true });
      expect(readNxJson(tree)?.plugins).toBeUndefined();
      await initGenerator(tree, { skipFormat: true, addPlugin: true });
      expect(readNxJson(tree)?.plugins).toEqual([REGISTERED]);
    });
  });

  describe('when a project with an xtr.config.json already has an xtr-index target', () => {
    // addPlugin runs the plugin over the files on disk, so this workspace is a real folder.
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'xtr-init-'));
      mkdirSync(join(root, 'apps/search'), { recursive: true });
      writeFileSync(join(root, 'nx.json'), '{}');
      writeFileSync(join(root, 'package.json'), '{ "name": "ws" }');
      writeFileSync(join(root, 'apps/search/project.json'), '{ "name": "search" }');
      writeFileSync(join(root, 'apps/search/xtr.config.json'), '{ "catalog": { "path": "c.duckdb" } }');
      tree = new FsTree(root, false);
      const data = { root: 'apps/search', targets: { 'xtr-index': { command: 'echo mine' } } };
      mockGraph = { nodes: { search: { name: 'search', type: 'app', data } }, dependencies: {} };
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('infers the build target under the next free name', async () => {
      await initGenerator(tree, { skipFormat: true });
      expect(readNxJson(tree)?.plugins).toEqual([
        {
          plugin: '@xtr-nx/executor/plugin',
          options: { buildTargetName: 'xtr:index', verifyTargetName: 'xtr-verify' },
        },
      ]);
    });

    it('reports a clash with a name given on the command line instead of renaming it', async () => {
      await expect(initGenerator(tree, { skipFormat: true, buildTargetName: 'xtr-index' })).rejects.toThrow(
        /No choice of the target names tried \(build: xtr-index; verify: xtr-verify, xtr:verify\) is free/,
      );
    });
  });
});
