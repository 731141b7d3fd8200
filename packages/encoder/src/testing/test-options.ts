import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_LENGTH, DEFAULT_NORMALIZE, defaultStride } from '../lib/defaults';
import type { EncoderOptions, ResolvedEncoderOptions } from '../lib/types';

/**
 * Resolved options for tests: `options` over the default sizes that do not depend on the model,
 * on one thread (tests run side by side), truncating long texts so that each text is one model
 * input (tests of windows ask for them).
 */
export function testEncoderOptions(options: EncoderOptions): ResolvedEncoderOptions {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  return {
    maxLength,
    overflow: 'truncate',
    stride: defaultStride(maxLength),
    batchSize: DEFAULT_BATCH_SIZE,
    threads: 1,
    normalize: DEFAULT_NORMALIZE,
    ...options,
  };
}
