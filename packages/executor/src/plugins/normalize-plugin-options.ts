import { DEFAULT_BUILD_TARGET_NAME, DEFAULT_VERIFY_TARGET_NAME } from '../config/defaults';

/** The plugin's options in nx.json. */
export interface XtrPluginOptions {
  /** Name of the inferred build target (default `xtr-index`). */
  buildTargetName?: string;
  /** Name of the inferred verify target (default `xtr-verify`). */
  verifyTargetName?: string;
}

export type NormalizedPluginOptions = Required<XtrPluginOptions>;

export function normalizePluginOptions(options: XtrPluginOptions | undefined): NormalizedPluginOptions {
  return {
    buildTargetName: options?.buildTargetName ?? DEFAULT_BUILD_TARGET_NAME,
    verifyTargetName: options?.verifyTargetName ?? DEFAULT_VERIFY_TARGET_NAME,
  };
}
