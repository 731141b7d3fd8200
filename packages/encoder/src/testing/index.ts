/**
 * Everything a test needs to run token encoders without downloads: generated transformers,
 * trained and hand-written tokenizers, models split into external data or broken on purpose,
 * projection files, resolved options, and comparisons of encoded batches.
 */
export {
  buildTransformerModel,
  SMALL_SIZE,
  XTR_BASE_SIZE,
  type TransformerOptions,
  type TransformerSize,
} from './transformer-model';
export { trainTokenizer, type TokenizerKind } from './train-tokenizer';
export { writeTestModel, type TestModel, type TestModelOptions } from './test-model';
export { writeTinyWordPiece } from './tiny-wordpiece';
export { externalizeWeights } from './external-data';
export { SHORT_POSITIONS, writeOddModel } from './odd-models';
export { writeNpy } from './npy-file';
export { testEncoderOptions } from './test-options';
export { maxAbsDiff, textVectors } from './encoded-rows';
