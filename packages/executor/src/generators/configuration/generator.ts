import { formatFiles, joinPathFragments, readNxJson, readProjectConfiguration, type Tree, writeJson } from '@nx/devkit';
import {
  BUILTIN_MODEL,
  CONFIG_FILE_NAME,
  DEFAULT_DTYPE,
  DEFAULT_OUTPUT_DIR,
  DEFAULT_TABLE,
} from '../../config/defaults';
import type { XtrConfig } from '../../config/xtr-config';
import { initGenerator, isPluginRegistered } from '../init/generator';
import { addExplicitTargets } from './explicit-targets';
import { schemaReference } from './schema-reference';
import type { ConfigurationGeneratorSchema } from './schema';

/**
 * Adds `xtr.config.json` to a project and registers the plugin if it is not yet. In a workspace
 * that opted out of inferred targets, writes the two targets into the project instead.
 */
export async function configurationGenerator(tree: Tree, options: ConfigurationGeneratorSchema) {
  const { root } = readProjectConfiguration(tree, options.project);
  const path = joinPathFragments(root, CONFIG_FILE_NAME);
  if (tree.exists(path)) {
    throw new Error(`${path} already exists. Edit it directly, or delete it and run the generator again.`);
  }
  const config = configFromOptions(options);
  writeJson(tree, path, { ...schemaReference(tree, root), ...config });
  const install = await initGenerator(tree, { skipFormat: true });
  if (!isPluginRegistered(readNxJson(tree) ?? {})) addExplicitTargets(tree, options.project, path, config);
  if (!options.skipFormat) await formatFiles(tree);
  return install;
}

function configFromOptions(options: ConfigurationGeneratorSchema): XtrConfig {
  return {
    catalog: {
      path: options.catalog,
      ...(options.table && options.table !== DEFAULT_TABLE ? { table: options.table } : {}),
      ...(options.catalogTarget ? { target: options.catalogTarget } : {}),
    },
    encoder: { model: options.model ?? BUILTIN_MODEL, ...(options.tokenizer ? { tokenizer: options.tokenizer } : {}) },
    output: { dir: options.output ?? DEFAULT_OUTPUT_DIR, dtype: options.dtype ?? DEFAULT_DTYPE },
  };
}

export default configurationGenerator;
