export { createNodes, createNodesV2, type XtrPluginOptions } from './plugins/plugin';
export { buildIndex, BuildError } from './pipeline/build-index';
export { runBuild } from './pipeline/run-build';
export type { BuildSummary } from './pipeline/build-summary';
export type { BuildLogger } from './pipeline/progress';
export { normalizeBuildOptions, type BuildOptions, type BuildOverrides } from './config/normalize-options';
export { loadConfig } from './config/load-config';
export { CONFIG_FILE_NAME, DEFAULT_WINDOW } from './config/defaults';
export { ConfigError, type XtrConfig } from './config/xtr-config';
