import type { BuildOverrides } from '../../config/normalize-options';

export interface BuildExecutorSchema extends BuildOverrides {
  /** Path to xtr.config.json, relative to the workspace root. */
  config?: string;
}
