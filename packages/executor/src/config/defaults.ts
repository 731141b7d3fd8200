/**
 * Names and defaults shared by the Nx plugin, the generators, the executors and the build. This
 * module imports nothing: Nx loads the plugin for every command, in every plugin worker, so
 * whatever the plugin imports must not reach DuckDB, onnxruntime, tokenizers or ajv.
 */

/** This package's npm name; `names.spec.ts` checks it against package.json. */
export const PACKAGE_NAME = '@xtr-nx/executor';
/** What nx.json registers: the subpath that loads the plugin alone, not the build pipeline. */
export const PLUGIN_NAME = `${PACKAGE_NAME}/plugin`;
export const BUILD_EXECUTOR = `${PACKAGE_NAME}:build`;
export const VERIFY_EXECUTOR = `${PACKAGE_NAME}:verify`;
export const PLAN_EXECUTOR = `${PACKAGE_NAME}:plan`;
export const MERGE_EXECUTOR = `${PACKAGE_NAME}:merge`;

/** The per-project config file; its presence is what makes a folder get xtr targets. */
export const CONFIG_FILE_NAME = 'xtr.config.json';
/** JSON Schema of the config file, relative to the package root (shipped in the tarball). */
export const CONFIG_SCHEMA_PATH = 'src/config/xtr.config.schema.json';
/** Written last by a build; it records the token file's SHA-256 and every chunk's content hash. */
export const MANIFEST_FILE = 'xtr.manifest.json';

export const DEFAULT_BUILD_TARGET_NAME = 'xtr-index';
export const DEFAULT_VERIFY_TARGET_NAME = 'xtr-verify';

/** Index folder, relative to the folder holding the config. */
export const DEFAULT_OUTPUT_DIR = 'dist/xtr';
export const DEFAULT_DTYPE = 'float16';
export const DEFAULT_TABLE = 'chunks';
/**
 * Chunks read, tokenized and sorted by length together. Each window is held at three pipeline
 * stages at once, so a longer one pads a little less at the price of memory; docs/benchmarks.md
 * has the sweep.
 */
export const DEFAULT_WINDOW = 256;

/** The encoder that needs no download; `builtin:` names are models compiled into the encoder package. */
export const BUILTIN_MODEL = 'builtin:hash';
const BUILTIN_PREFIX = 'builtin:';

/** Whether `model` names a built-in encoder rather than a file, so it is neither a path nor an input. */
export function isBuiltinModel(model: string): boolean {
  return model.startsWith(BUILTIN_PREFIX);
}

/** The vector store's folder under the workspace root: `node_modules/.cache` is git-ignored wherever node_modules is. */
export const DEFAULT_STORE_SUBDIR = 'node_modules/.cache/xtr-nx/vectors';
export const DEFAULT_STORE_MAX_SIZE = '4GiB';
/** Environment variable naming the store folder; it wins over `store.dir` (as NX_CACHE_DIRECTORY wins over nx.json). */
export const STORE_DIR_ENV = 'XTR_STORE_DIR';
