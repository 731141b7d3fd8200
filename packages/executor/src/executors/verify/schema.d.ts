import type { VerifyOverrides } from '../../verify/run-verify';

export interface VerifyExecutorSchema extends VerifyOverrides {
  /** Path to xtr.config.json, relative to the workspace root. */
  config?: string;
}
