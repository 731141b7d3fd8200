import { posix } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import { CONFIG_FILE_NAME, isBuiltinModel } from '../../config/defaults';
import type { XtrConfig } from '../../config/xtr-config';
import { fingerprintCommand } from './package-files';

type Input = NonNullable<TargetConfiguration['inputs']>[number];

export const CONFIG_INPUT = `{projectRoot}/${CONFIG_FILE_NAME}`;

/**
 * The model, tokenizer and projection files the config names, as Nx file inputs. The model's
 * token ends in `*` so that external data saved beside it (`model.onnx_data`, `model.onnx.data`)
 * is hashed too: the plugin never opens the model to find out.
 */
export function encoderFileInputs(projectRoot: string, config: Partial<XtrConfig> | undefined): string[] {
  const model = config?.encoder?.model;
  const modelInput = model === undefined || isBuiltinModel(model) ? undefined : workspaceToken(projectRoot, model);
  const others = [config?.encoder?.tokenizer, config?.encoder?.projection].map((p) => workspaceToken(projectRoot, p));
  return [modelInput && `${modelInput}*`, ...others].filter((input) => input !== undefined);
}

/**
 * Catalogs are usually git-ignored build products, which Nx leaves out of file hashes: hash the
 * producing target's outputs, or else a digest of the catalog's rows computed at hash time.
 */
export function catalogInput(configFile: string, catalogTarget: string | undefined, workspaceRoot: string): Input {
  if (catalogTarget) return { dependentTasksOutputFiles: '**/*' };
  return { runtime: fingerprintCommand(configFile, workspaceRoot) };
}

/**
 * A config path (relative to the project) as an Nx path token: `{projectRoot}/…` inside the
 * project, `{workspaceRoot}/…` elsewhere in the workspace, undefined outside it.
 */
export function workspaceToken(projectRoot: string, path: string | undefined): string | undefined {
  if (path === undefined || posix.isAbsolute(path)) return undefined;
  const inProject = posix.normalize(path);
  if (!inProject.startsWith('..')) return `{projectRoot}/${inProject}`;
  const inWorkspace = posix.normalize(posix.join(projectRoot, path));
  return inWorkspace.startsWith('..') ? undefined : `{workspaceRoot}/${inWorkspace}`;
}
