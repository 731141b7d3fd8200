import { formatFiles, joinPathFragments, readProjectConfiguration, type Tree, writeJson } from '@nx/devkit';
import { CONFIG_FILE_NAME, type XtrConfig } from '../../config/xtr-config';
import { initGenerator } from '../init/generator';
import type { ConfigurationGeneratorSchema } from './schema';

/** Adds `xtr.config.json` to a project (and registers the plugin if it is not yet). */
export async function configurationGenerator(tree: Tree, options: ConfigurationGeneratorSchema) {
  const { root } = readProjectConfiguration(tree, options.project);
  const path = joinPathFragments(root, CONFIG_FILE_NAME);
  if (tree.exists(path)) {
    throw new Error(`${path} already exists. Edit it directly, or delete it and run the generator again.`);
  }
  const config: XtrConfig = {
    catalog: {
      path: options.catalog,
      ...(options.table && options.table !== 'chunks' ? { table: options.table } : {}),
      ...(options.catalogTarget ? { target: options.catalogTarget } : {}),
    },
    encoder: { model: options.model ?? 'builtin:hash', ...(options.tokenizer ? { tokenizer: options.tokenizer } : {}) },
    output: { dir: options.output ?? 'dist/xtr', dtype: options.dtype ?? 'float16' },
  };
  writeJson(tree, path, config);
  const install = await initGenerator(tree, { skipFormat: true });
  if (!options.skipFormat) await formatFiles(tree);
  return install;
}

export default configurationGenerator;
