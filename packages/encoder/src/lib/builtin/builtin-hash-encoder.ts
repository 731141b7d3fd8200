import { createHash } from 'node:crypto';
import { BatchedEncoder, batchingParts } from '../batched-encoder';
import { encoderFingerprint, overflowParts } from '../fingerprint';
import { OnnxTokenModel } from '../onnx/onnx-token-model';
import { EncoderError, type ResolvedEncoderOptions } from '../types';
import { checkWindows } from '../windows';
import { BUILTIN_HASH } from './builtin-names';
import { buildHashModel } from './hash-model';
import { HashTokenizer } from './hash-tokenizer';

/** Bumped whenever the pre-tokenizer or graph changes in a way that changes vectors. */
const BUILTIN_HASH_VERSION = 2;
const BUCKETS = 1 << 15;
const DIM = 128;
const SEED = 0x5eed;
const NEIGHBOUR_WEIGHT = 0.25;

/**
 * The encoder that needs no download: a lexical, code-aware hashing encoder run through the same
 * onnxruntime session path as learned models. Its vectors match identifiers and their
 * neighbourhoods, not meaning.
 */
export async function createBuiltinHashEncoder(options: ResolvedEncoderOptions): Promise<BatchedEncoder> {
  const unsupported: string[] = (['tokenizer', 'projection', 'inputs', 'output'] as const).filter(
    (key) => options[key] !== undefined,
  );
  // Its graph always ends in an L2 normalisation.
  if (!options.normalize) unsupported.push('normalize');
  if (unsupported.length > 0) {
    throw new EncoderError(
      `"${BUILTIN_HASH}" has its own tokenizer and graph; remove encoder.${unsupported.join(', encoder.')} or set "encoder.model" to an .onnx file.`,
    );
  }
  if (options.dim !== undefined && options.dim !== DIM) {
    throw new EncoderError(
      `"${BUILTIN_HASH}" produces ${DIM}-wide vectors but "encoder.dim" is ${options.dim}. Set it to ${DIM} or remove it.`,
    );
  }
  const tokenizer = new HashTokenizer(BUCKETS);
  checkWindows(options, tokenizer.specials);
  const modelBytes = buildHashModel({
    vocabSize: tokenizer.vocabSize,
    dim: DIM,
    seed: SEED,
    neighbourWeight: NEIGHBOUR_WEIGHT,
  });
  // Its graph has Hugging Face's tensor names, which the token model feeds and reads by default.
  const tokenModel = await OnnxTokenModel.load(modelBytes, { source: BUILTIN_HASH, threads: options.threads });
  return new BatchedEncoder({
    model: BUILTIN_HASH,
    fingerprint: encoderFingerprint({
      kind: BUILTIN_HASH,
      version: BUILTIN_HASH_VERSION,
      maxLength: options.maxLength,
      normalize: options.normalize,
      modelHash: createHash('sha256').update(modelBytes).digest('hex'),
      ...overflowParts(options),
    }),
    tokenizer,
    tokenModel,
    ...batchingParts(options),
    // The graph ends in an L2 normalisation: doing it again in JS would only cost time.
    normalize: false,
    normalized: true,
    dim: DIM,
  });
}
