import { addDependenciesToPackageJson, formatFiles, type GeneratorCallback, readNxJson, type Tree, updateNxJson } from '@nx/devkit';
import { TOOL } from '../../tool';
import type { InitGeneratorSchema } from './schema';

export const PLUGIN_NAME = TOOL.name;

/** `nx add @xtr-nx/executor`: register the plugin once and add the package; running it again changes nothing. */
export async function initGenerator(tree: Tree, options: InitGeneratorSchema): Promise<GeneratorCallback> {
  const nxJson = readNxJson(tree) ?? {};
  const registered = (nxJson.plugins ?? []).some((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
  if (!registered) {
    nxJson.plugins = [
      ...(nxJson.plugins ?? []),
      {
        plugin: PLUGIN_NAME,
        options: { buildTargetName: options.buildTargetName ?? 'xtr-index', verifyTargetName: options.verifyTargetName ?? 'xtr-verify' },
      },
    ];
    updateNxJson(tree, nxJson);
  }
  const install = options.skipPackageJson ? () => undefined : addDependenciesToPackageJson(tree, {}, { [PLUGIN_NAME]: TOOL.version });
  if (!options.skipFormat) await formatFiles(tree);
  return install;
}

export default initGenerator;
