import { availableParallelism } from 'node:os';
import { isBuiltinModel } from './builtin/builtin-names';
import { LIMITS } from './limits';
import { modelBytes } from './onnx/model-files';
import type { Overflow } from './types';

/**
 * Values for the options a user leaves unset. The encoder applies none of them: its caller
 * resolves options once (a build's `normalizeBuildOptions`) and `createEncoder` checks the result.
 */

export const DEFAULT_MAX_LENGTH = 256;

/**
 * Chunks longer than `maxLength` are read in windows, so every token of every chunk can be found:
 * on code chunks most are longer, and truncation makes their tails unfindable at about twice the
 * build time saved (tools/bench/overflow.ts measures both).
 */
export const DEFAULT_OVERFLOW: Overflow = 'window';

/**
 * Tokens consecutive windows share: each token keeps at least half of it as context on both sides
 * (see `windowInputs`), at the cost of re-encoding it once per long chunk and window.
 */
export const DEFAULT_STRIDE = 32;

/** The stride when the user sets none: `DEFAULT_STRIDE`, at most a quarter of `maxLength`. */
export function defaultStride(maxLength: number): number {
  return Math.min(DEFAULT_STRIDE, Math.floor(maxLength / 4));
}

/** Every token vector is L2-normalised, as XTR and ColBERT score them. */
export const DEFAULT_NORMALIZE = true;

/**
 * Chunks per model run for models below `LARGE_MODEL_BYTES`: on 2 cores the small test model
 * runs fastest at 8 of 1, 8, 16, 32 and 64 (tools/bench/encoder-throughput.ts sweeps them).
 */
export const DEFAULT_BATCH_SIZE = 8;

/**
 * From this much weight (≈16M float32 parameters, external data included) a model runs fastest
 * one chunk per run: its per-token activations (3,072 floats per token in an XTR-base layer)
 * outgrow the CPU caches as a batch grows, while a single chunk already fills the matrix kernels.
 * On 2 cores the xtr-base-sized test model's throughput falls from batch 1 to 2, 4 and 8.
 */
const LARGE_MODEL_BYTES = 64 * 2 ** 20;

/**
 * Chunks per model run when the user sets none: 1 for large ONNX models, `DEFAULT_BATCH_SIZE`
 * otherwise. Reads the model's external-data references, so only builds call it.
 */
export function defaultBatchSize(model: string): number {
  // A missing model weighs 0 here; the encoder reports it by name.
  if (isBuiltinModel(model)) return DEFAULT_BATCH_SIZE;
  return modelBytes(model) >= LARGE_MODEL_BYTES ? 1 : DEFAULT_BATCH_SIZE;
}

/** onnxruntime intra-op threads when the user sets none: one per core. */
export function defaultThreads(): number {
  return Math.min(availableParallelism(), LIMITS.threads);
}
