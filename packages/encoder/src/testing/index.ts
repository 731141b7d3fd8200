export {
  buildTransformerModel,
  SMALL_SIZE,
  XTR_BASE_SIZE,
  type TransformerOptions,
  type TransformerSize,
} from './transformer-model';
export { trainTokenizer, type TokenizerKind } from './train-tokenizer';
export { externalizeWeights } from './external-data';
