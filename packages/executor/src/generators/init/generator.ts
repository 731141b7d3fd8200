import {
  addDependenciesToPackageJson,
  createProjectGraphAsync,
  formatFiles,
  type GeneratorCallback,
  type NxJsonConfiguration,
  readNxJson,
  type Tree,
} from '@nx/devkit';
import { addPlugin } from '@nx/devkit/internal';
import {
  CONFIG_FILE_NAME,
  DEFAULT_BUILD_TARGET_NAME,
  DEFAULT_VERIFY_TARGET_NAME,
  PACKAGE_NAME,
  PLUGIN_NAME,
} from '../../config/defaults';
import { createNodes, type XtrPluginOptions } from '../../plugins/plugin';
import { TOOL } from '../../tool';
import type { InitGeneratorSchema } from './schema';

/**
 * `nx add @xtr-nx/executor`: registers the plugin (unless the workspace opted out of inference)
 * and adds the package. Running it again changes nothing.
 */
export async function initGenerator(tree: Tree, options: InitGeneratorSchema): Promise<GeneratorCallback> {
  const nxJson = readNxJson(tree) ?? {};
  if ((options.addPlugin ?? inferenceEnabled(nxJson)) && !isPluginRegistered(nxJson)) {
    await registerPlugin(tree, options);
  }
  const install = options.skipPackageJson
    ? () => undefined
    : addDependenciesToPackageJson(tree, {}, { [PACKAGE_NAME]: TOOL.version }, undefined, true);
  if (!options.skipFormat) await formatFiles(tree);
  return install;
}

/** The switches every Nx init generator honours: `NX_ADD_PLUGINS=false` and `useInferencePlugins`. */
export function inferenceEnabled(nxJson: NxJsonConfiguration): boolean {
  return process.env.NX_ADD_PLUGINS !== 'false' && nxJson.useInferencePlugins !== false;
}

/** Registered under its subpath, or under the package name, which loads the same plugin. */
export function isPluginRegistered(nxJson: NxJsonConfiguration): boolean {
  const names = (nxJson.plugins ?? []).map((p) => (typeof p === 'string' ? p : p.plugin));
  return names.some((name) => name === PLUGIN_NAME || name === PACKAGE_NAME);
}

/**
 * Adds the plugin with the first target names no existing project target uses. Names given on
 * the command line are the only candidates, so a clash with them is reported, not renamed.
 */
async function registerPlugin(tree: Tree, options: InitGeneratorSchema): Promise<void> {
  const candidates: Required<{ [K in keyof XtrPluginOptions]: string[] }> = {
    buildTargetName: options.buildTargetName ? [options.buildTargetName] : [DEFAULT_BUILD_TARGET_NAME, 'xtr:index'],
    verifyTargetName: options.verifyTargetName
      ? [options.verifyTargetName]
      : [DEFAULT_VERIFY_TARGET_NAME, 'xtr:verify'],
  };
  try {
    await addPlugin(tree, await createProjectGraphAsync(), PLUGIN_NAME, createNodes, candidates, false);
  } catch (error) {
    // addPlugin's own message for "every combination clashes" sends users to the Nx issue tracker.
    if (!/Could not add the plugin/.test((error as Error).message)) throw error;
    const { buildTargetName: build, verifyTargetName: verify } = candidates;
    throw new Error(
      `No choice of the target names tried (build: ${build.join(', ')}; verify: ${verify.join(', ')}) is free ` +
        `in every project with an ${CONFIG_FILE_NAME}. Pass free names with --buildTargetName and --verifyTargetName.`,
    );
  }
}

export default initGenerator;
