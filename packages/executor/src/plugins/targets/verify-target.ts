import type { TargetConfiguration } from '@nx/devkit';
import { MANIFEST_FILE, VERIFY_EXECUTOR } from '../../config/defaults';
import { CONFIG_INPUT } from './inputs';
import { externalPackages } from './package-files';
import type { TargetContext } from './xtr-targets';

/** Verify reads the catalog it compares with through DuckDB; it never runs the model. */
const ENGINES = ['@duckdb/node-api'];

/** `xtr-verify`: runs after the build, cached on the index as its manifest identifies it. */
export function verifyTarget(configFile: string, buildTargetName: string, context: TargetContext): TargetConfiguration {
  return {
    executor: VERIFY_EXECUTOR,
    options: { config: configFile },
    dependsOn: [buildTargetName],
    cache: true,
    inputs: [
      CONFIG_INPUT,
      // The manifest records the token file's SHA-256, each chunk's content hash and the catalog's
      // fingerprint, so it stands for the whole index: hashing the index itself would read every
      // byte of the token matrix on each run, cache hit or not.
      { dependentTasksOutputFiles: `**/${MANIFEST_FILE}` },
      { externalDependencies: externalPackages(context.workspaceRoot, ENGINES) },
    ],
    outputs: [],
    metadata: {
      technologies: ['xtr'],
      description:
        'Verify the XTR index: format, checksum, finite unit-norm rows, and that it holds exactly the catalog',
      help: { command: `${context.exec} xtr verify --help`, example: { options: { checkCatalog: false } } },
    },
  };
}
