export interface InitGeneratorSchema {
  /** Name of the inferred build target (default `xtr-index`). */
  buildTargetName?: string;
  /** Name of the inferred verify target (default `xtr-verify`). */
  verifyTargetName?: string;
  /** Do not add @xtr-nx/executor to package.json. */
  skipPackageJson?: boolean;
  skipFormat?: boolean;
}
