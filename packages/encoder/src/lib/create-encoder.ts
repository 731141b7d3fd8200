import { availableParallelism } from 'node:os';
import { BUILTIN_HASH, createBuiltinHashEncoder } from './builtin/builtin-hash-encoder';
import { LIMITS, type LimitedOption, limitProblem } from './limits';
import { modelBytes } from './onnx/model-files';
import { createOnnxEncoder, type ResolvedEncoderOptions } from './onnx-encoder';
import { EncoderError, type EncoderOptions, type TokenEncoder } from './types';

export const DEFAULT_MAX_LENGTH = 256;
/** Measured on 2 cores (tools/bench/encoder-throughput.ts): for small models 8 beat 1, 16, 32 and 64. */
export const DEFAULT_BATCH_SIZE = 8;
/**
 * From this much weight (≈16M float32 parameters, external data included) a model runs fastest
 * one chunk per call: its per-token activations (3,072 floats per token in an XTR-base layer)
 * outgrow the CPU caches as a batch grows, while a single chunk already fills the matrix
 * kernels. Measured on 2 cores with the xtr-base-sized test model: batch 1 → 1,736 tok/s,
 * 2 → 1,725, 4 → 1,644, 8 → 1,547.
 */
const LARGE_MODEL_BYTES = 64 * 2 ** 20;

/** Chunks per `session.run` when the user sets none: 1 for large ONNX models, 8 otherwise. */
export function defaultBatchSize(model: string): number {
  // A missing model weighs 0 here; the encoder reports it by name.
  if (model.startsWith('builtin:')) return DEFAULT_BATCH_SIZE;
  return modelBytes(model) >= LARGE_MODEL_BYTES ? 1 : DEFAULT_BATCH_SIZE;
}

/** onnxruntime intra-op threads when the user sets none: one per core. */
export function defaultThreads(): number {
  return Math.min(availableParallelism(), LIMITS.threads);
}

/** `value`, checked against its limit, or the default, computed only when needed (the batch default reads the model). */
function limitedInteger(name: LimitedOption, value: number | undefined, fallback: () => number): number {
  const resolved = value ?? fallback();
  const problem = limitProblem(name, resolved);
  if (problem) throw new EncoderError(problem);
  return resolved;
}

/** Builds the encoder named by `options.model`, with defaults filled in. */
export async function createEncoder(options: EncoderOptions): Promise<TokenEncoder> {
  const resolved: ResolvedEncoderOptions = {
    ...options,
    maxLength: limitedInteger('maxLength', options.maxLength, () => DEFAULT_MAX_LENGTH),
    batchSize: limitedInteger('batchSize', options.batchSize, () => defaultBatchSize(options.model)),
    // A default, not a clamp: builds clamp what users set (with a warning) before this point.
    threads: limitedInteger('threads', options.threads, defaultThreads),
    normalize: options.normalize ?? true,
  };
  if (resolved.model === BUILTIN_HASH) return createBuiltinHashEncoder(resolved);
  if (resolved.model.startsWith('builtin:')) {
    throw new EncoderError(
      `Unknown built-in encoder "${resolved.model}". Use "${BUILTIN_HASH}" or a path to an .onnx model.`,
    );
  }
  return createOnnxEncoder(resolved);
}
