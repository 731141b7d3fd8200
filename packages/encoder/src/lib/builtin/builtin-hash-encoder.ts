import { createHash } from 'node:crypto';
import { BatchedEncoder } from '../batched-encoder';
import { OnnxTokenModel } from '../onnx/onnx-token-model';
import { ATTENTION_MASK, buildHashModel, INPUT_IDS, LAST_HIDDEN_STATE } from './hash-model';
import { HashTokenizer } from './hash-tokenizer';

export const BUILTIN_HASH = 'builtin:hash';

/** Bumped whenever the pre-tokenizer or graph changes in a way that changes vectors. */
const BUILTIN_HASH_VERSION = 1;
const BUCKETS = 1 << 15;
const DIM = 128;
const SEED = 0x5eed;
const NEIGHBOUR_WEIGHT = 0.25;

export interface BuiltinHashOptions {
  readonly maxLength: number;
  readonly batchSize: number;
  readonly threads: number;
}

/**
 * The encoder that needs no download: a lexical, code-aware hashing encoder run through the same
 * onnxruntime session path as learned models. Its vectors match identifiers and their
 * neighbourhoods, not meaning.
 */
export async function createBuiltinHashEncoder(options: BuiltinHashOptions): Promise<BatchedEncoder> {
  const tokenizer = new HashTokenizer(BUCKETS, options.maxLength);
  const modelBytes = buildHashModel({
    vocabSize: tokenizer.vocabSize,
    dim: DIM,
    seed: SEED,
    neighbourWeight: NEIGHBOUR_WEIGHT,
  });
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ model: BUILTIN_HASH, version: BUILTIN_HASH_VERSION, maxLength: options.maxLength }))
    .update(modelBytes)
    .digest('hex');
  const session = await OnnxTokenModel.load(modelBytes, {
    source: BUILTIN_HASH,
    inputIdsName: INPUT_IDS,
    attentionMaskName: ATTENTION_MASK,
    outputName: LAST_HIDDEN_STATE,
    threads: options.threads,
  });
  return new BatchedEncoder({
    model: BUILTIN_HASH,
    dim: DIM,
    fingerprint,
    tokenizer,
    session,
    batchSize: options.batchSize,
  });
}
