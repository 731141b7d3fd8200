import { availableParallelism } from 'node:os';
import { BUILTIN_HASH, createBuiltinHashEncoder } from './builtin/builtin-hash-encoder';
import { createOnnxEncoder, type ResolvedEncoderOptions } from './onnx-encoder';
import { EncoderError, type EncoderOptions, type TokenEncoder } from './types';

export const DEFAULT_MAX_LENGTH = 256;
/** Measured on 2 cores (tools/bench/encoder-throughput.ts): 8 beat 1, 16, 32 and 64 for both test models. */
export const DEFAULT_BATCH_SIZE = 8;

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < 1) throw new EncoderError(`encoder.${name} must be a positive integer, got ${resolved}.`);
  return resolved;
}

/** Builds the encoder named by `options.model`, with defaults filled in. */
export async function createEncoder(options: EncoderOptions): Promise<TokenEncoder> {
  const resolved: ResolvedEncoderOptions = {
    ...options,
    maxLength: positiveInteger('maxLength', options.maxLength, DEFAULT_MAX_LENGTH),
    batchSize: positiveInteger('batchSize', options.batchSize, DEFAULT_BATCH_SIZE),
    threads: positiveInteger('threads', options.threads, availableParallelism()),
    normalize: options.normalize ?? true,
  };
  if (resolved.model === BUILTIN_HASH) return createBuiltinHashEncoder(resolved);
  if (resolved.model.startsWith('builtin:')) {
    throw new EncoderError(`Unknown built-in encoder "${resolved.model}". Use "${BUILTIN_HASH}" or a path to an .onnx model.`);
  }
  return createOnnxEncoder(resolved);
}
