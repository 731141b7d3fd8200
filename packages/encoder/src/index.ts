export type {
  EncodedBatch,
  EncoderOptions,
  EncoderTimings,
  InputNames,
  InputRows,
  LongTexts,
  Overflow,
  ResolvedEncoderOptions,
  TokenEncoder,
  TokenIds,
  TokenizedWindow,
  Tokenizer,
} from './lib/types';
export { EncoderError, TextEncodingError } from './lib/types';
export { createEncoder } from './lib/create-encoder';
export {
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_LENGTH,
  DEFAULT_NORMALIZE,
  DEFAULT_OVERFLOW,
  defaultBatchSize,
  defaultStride,
  defaultThreads,
} from './lib/defaults';
export {
  LIMITS,
  type LimitedOption,
  limitProblem,
  overflowProblem,
  strideProblem,
  windowTokensProblem,
} from './lib/limits';
export { BUILTIN_HASH, isBuiltinModel } from './lib/builtin/builtin-names';
export { HF_INPUT_NAMES, LAST_HIDDEN_STATE } from './lib/onnx/hf-names';
export { modelFiles } from './lib/onnx/model-files';
export { FLOAT_TYPE, GraphBuilder } from './lib/onnx/graph-builder';
