import { dirname } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import { BUILD_EXECUTOR, DEFAULT_OUTPUT_DIR } from '../../config/defaults';
import type { XtrConfig } from '../../config/xtr-config';
import { catalogInput, CONFIG_INPUT, encoderFileInputs, workspaceToken } from './inputs';
import { externalPackages } from './package-files';
import type { TargetContext } from './xtr-targets';

/** Native engines whose versions change the vectors or how the catalog is read. */
export const INDEX_ENGINES = ['onnxruntime-node', 'tokenizers', '@duckdb/node-api'];

/** `xtr-index`: cached on everything that decides the index's bytes, and nothing else. */
export function indexTarget(
  configFile: string,
  config: Partial<XtrConfig> | undefined,
  context: TargetContext,
): TargetConfiguration {
  const projectRoot = dirname(configFile);
  const catalogTarget = config?.catalog?.target;
  return {
    executor: BUILD_EXECUTOR,
    options: { config: configFile },
    ...(catalogTarget ? { dependsOn: [catalogTarget] } : {}),
    cache: true,
    inputs: [
      CONFIG_INPUT,
      ...encoderFileInputs(projectRoot, config),
      catalogInput(configFile, catalogTarget, context.workspaceRoot),
      { externalDependencies: externalPackages(context.workspaceRoot, INDEX_ENGINES) },
    ],
    outputs: indexOutputs(projectRoot, config),
    metadata: {
      technologies: ['xtr'],
      description: 'Build the XTR token index (tokens.f16|f32 + index.meta.json) from the DuckDB chunk catalog',
      help: { command: `${context.exec} xtr build --help`, example: { options: { dtype: 'float32', batchSize: 16 } } },
    },
  };
}

/** The index folder, as Nx outputs: none when it lies outside the workspace. */
export function indexOutputs(projectRoot: string, config: Partial<XtrConfig> | undefined): string[] {
  const output = workspaceToken(projectRoot, config?.output?.dir ?? DEFAULT_OUTPUT_DIR);
  return output ? [output] : [];
}
