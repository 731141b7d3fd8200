import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TABLE as CATALOG_DEFAULT_TABLE } from '@xtr-nx/catalog';
import { BUILTIN_HASH } from '@xtr-nx/encoder';
import { MANIFEST_FILE as STORAGE_MANIFEST_FILE } from '@xtr-nx/storage';
import * as defaults from './defaults';

const PACKAGE_ROOT = join(__dirname, '../..');
const readJson = (path: string) => JSON.parse(readFileSync(join(PACKAGE_ROOT, path), 'utf8'));

// defaults.ts imports nothing so that the plugin stays cheap; these names also live where they
// are implemented, and must not drift apart.
describe('config/defaults', () => {
  it('names this package as package.json does, and its plugin subpath loads the plugin', () => {
    expect(defaults.PACKAGE_NAME).toBe(readJson('package.json').name);
    expect(require.resolve(defaults.PLUGIN_NAME)).toBe(join(__dirname, '../plugins/plugin.ts'));
  });

  it('names executors that executors.json declares', () => {
    const names = Object.keys(readJson('executors.json').executors);
    const declared = names.map((name) => `${defaults.PACKAGE_NAME}:${name}`);
    expect(declared).toEqual(expect.arrayContaining([defaults.BUILD_EXECUTOR, defaults.VERIFY_EXECUTOR]));
  });

  it('agrees with the catalog, encoder and storage packages', () => {
    expect(defaults.DEFAULT_TABLE).toBe(CATALOG_DEFAULT_TABLE);
    expect(defaults.BUILTIN_MODEL).toBe(BUILTIN_HASH);
    expect(defaults.isBuiltinModel(defaults.BUILTIN_MODEL)).toBe(true);
    expect(defaults.isBuiltinModel('models/builtin.onnx')).toBe(false);
    expect(defaults.MANIFEST_FILE).toBe(STORAGE_MANIFEST_FILE);
  });

  it('points at a config schema that exists in the package', () => {
    expect(existsSync(join(PACKAGE_ROOT, defaults.CONFIG_SCHEMA_PATH))).toBe(true);
  });
});
