import { existsSync } from 'node:fs';
import { BatchedEncoder, batchingParts } from './batched-encoder';
import { encoderFingerprint, hashFile, overflowParts } from './fingerprint';
import { readNpyMatrix } from './npy';
import { LAST_HIDDEN_STATE } from './onnx/hf-names';
import { modelFiles } from './onnx/model-files';
import { summarizeModel } from './onnx/model-summary';
import { OnnxTokenModel } from './onnx/onnx-token-model';
import { HfTokenizer } from './tokenizers/hf-tokenizer';
import { EncoderError, type ResolvedEncoderOptions } from './types';
import { checkWindows } from './windows';

/**
 * A learned token encoder exported to ONNX (XTR, ColBERT, BERT-like code models) with its
 * Hugging Face tokenizer: the vectors the Python stack (AutoTokenizer + AutoModel,
 * `last_hidden_state`, optional projection, L2 per token) would produce.
 */
export async function createOnnxEncoder(options: ResolvedEncoderOptions): Promise<BatchedEncoder> {
  const { model, tokenizer } = options;
  if (!existsSync(model)) {
    throw new EncoderError(
      `Model file not found: ${model}. Set "encoder.model" to an exported .onnx file or to "builtin:hash".`,
    );
  }
  if (!tokenizer) {
    throw new EncoderError(`Model ${model} needs a tokenizer: set "encoder.tokenizer" to its tokenizer.json.`);
  }
  if (!existsSync(tokenizer)) {
    throw new EncoderError(
      `Tokenizer file not found: ${tokenizer}. Set "encoder.tokenizer" to the model's tokenizer.json.`,
    );
  }
  const positions = summarizeModel(model)?.positions;
  if (positions !== undefined && options.maxLength > positions) {
    throw new EncoderError(
      `"encoder.maxLength" is ${options.maxLength}, but model ${model} has position embeddings for ${positions} tokens. ` +
        `Set it to ${positions} or less.`,
    );
  }
  const hfTokenizer = await HfTokenizer.load(tokenizer, options.maxLength);
  checkWindows(options, hfTokenizer.specials);
  const projection = options.projection
    ? { matrix: readNpyMatrix(options.projection), source: options.projection }
    : undefined;
  const externalData = modelFiles(model).slice(1);
  const missing = externalData.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new EncoderError(
      `Model ${model} keeps its weights in ${missing.join(', ')}, which is missing. Put the external data file(s) beside the model, as the exporter wrote them.`,
    );
  }
  // Hashing hundreds of MiB and loading the model both take a while: do them at once.
  const [modelHash, externalDataHashes, tokenizerHash, projectionHash, tokenModel] = await Promise.all([
    hashFile(model),
    Promise.all(externalData.map(hashFile)),
    hashFile(tokenizer),
    options.projection ? hashFile(options.projection) : undefined,
    OnnxTokenModel.load(model, {
      source: model,
      inputs: options.inputs,
      output: options.output,
      threads: options.threads,
    }),
  ]);
  return new BatchedEncoder({
    model,
    fingerprint: encoderFingerprint({
      kind: 'onnx-v1',
      modelHash,
      externalDataHashes,
      tokenizerHash,
      projectionHash,
      maxLength: options.maxLength,
      inputs: options.inputs ?? null,
      // Naming the default output changes nothing, so it fingerprints as leaving it unset.
      output: options.output ?? LAST_HIDDEN_STATE,
      normalize: options.normalize,
      ...overflowParts(options),
    }),
    tokenizer: hfTokenizer,
    tokenModel,
    ...batchingParts(options),
    normalize: options.normalize,
    dim: options.dim,
    projection,
  });
}
