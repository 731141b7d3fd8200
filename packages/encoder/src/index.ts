export type {
  EncodedBatch,
  EncoderOptions,
  EncoderTimings,
  InputNames,
  TokenEncoder,
  TokenIds,
  TokenizedWindow,
  Tokenizer,
} from './lib/types';
export { EncoderError, TextEncodingError } from './lib/types';
export {
  createEncoder,
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_LENGTH,
  defaultBatchSize,
  defaultThreads,
} from './lib/create-encoder';
export { LIMITS, type LimitedOption, limitProblem, windowTokensProblem } from './lib/limits';
export { BUILTIN_HASH } from './lib/builtin/builtin-hash-encoder';
export { splitCode } from './lib/builtin/code-pretokenizer';
export { GraphBuilder, FLOAT_TYPE } from './lib/onnx/graph-builder';
export { modelFiles } from './lib/onnx/model-files';
export { hashFile } from './lib/fingerprint';
