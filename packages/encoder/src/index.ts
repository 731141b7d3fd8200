export type { EncodedBatch, EncoderOptions, TokenEncoder, TokenIds } from './lib/types';
export { EncoderError } from './lib/types';
export { createEncoder, DEFAULT_BATCH_SIZE, DEFAULT_MAX_LENGTH } from './lib/create-encoder';
export { BUILTIN_HASH } from './lib/builtin/builtin-hash-encoder';
export { splitCode } from './lib/builtin/code-pretokenizer';
export * as onnxGraph from './lib/onnx/graph-builder';
