export interface InitGeneratorSchema {
  /** Name of the inferred build target (default `xtr-index`, or `xtr:index` if that is taken). */
  buildTargetName?: string;
  /** Name of the inferred verify target (default `xtr-verify`, or `xtr:verify` if that is taken). */
  verifyTargetName?: string;
  /** Register the plugin in nx.json (default: unless NX_ADD_PLUGINS=false or useInferencePlugins is false). */
  addPlugin?: boolean;
  /** Do not add @xtr-nx/executor to package.json. */
  skipPackageJson?: boolean;
  skipFormat?: boolean;
}
