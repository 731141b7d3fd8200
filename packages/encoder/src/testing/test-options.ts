import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_LENGTH, DEFAULT_NORMALIZE } from '../lib/defaults';
import type { EncoderOptions, ResolvedEncoderOptions } from '../lib/types';

/**
 * Resolved options for tests: `options` over the default sizes that do not depend on the model,
 * on one thread (tests run side by side).
 */
export function testEncoderOptions(options: EncoderOptions): ResolvedEncoderOptions {
  return {
    maxLength: DEFAULT_MAX_LENGTH,
    batchSize: DEFAULT_BATCH_SIZE,
    threads: 1,
    normalize: DEFAULT_NORMALIZE,
    ...options,
  };
}
