import { availableParallelism } from 'node:os';
import { BUILTIN_HASH, createBuiltinHashEncoder } from './builtin/builtin-hash-encoder';
import { EncoderError, type EncoderOptions, type TokenEncoder } from './types';

export const DEFAULT_MAX_LENGTH = 256;
export const DEFAULT_BATCH_SIZE = 32;

/** Builds the encoder named by `options.model`, with defaults filled in. */
export async function createEncoder(options: EncoderOptions): Promise<TokenEncoder> {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength < 1) {
    throw new EncoderError(`encoder.maxLength must be a positive integer, got ${maxLength}.`);
  }
  const resolved = {
    maxLength,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    threads: options.threads ?? availableParallelism(),
  };
  if (options.model === BUILTIN_HASH) return createBuiltinHashEncoder(resolved);
  throw new EncoderError(
    `Unknown encoder model "${options.model}". This release ships "${BUILTIN_HASH}"; set "encoder.model" in xtr.config.json to it.`,
  );
}
