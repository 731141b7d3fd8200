import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from 'tokenizers';
import { trainTokenizer, type TokenizerKind } from './train-tokenizer';
import { buildTransformerModel, SMALL_SIZE, type TransformerOptions } from './transformer-model';

export interface TestModelOptions extends Partial<Pick<TransformerOptions, 'size' | 'projectionDim' | 'tokenTypeIds'>> {
  /** Text files the tokenizer is trained on. */
  readonly trainingFiles: readonly string[];
  readonly kind?: TokenizerKind;
  /** Seed of the transformer's weights. */
  readonly seed?: number;
}

/** The files of a test model. */
export interface TestModel {
  readonly model: string;
  readonly tokenizer: string;
}

/**
 * Writes `tokenizer.json` (trained on `trainingFiles`, WordPiece unless `kind` says otherwise) and
 * `model.onnx` (a random transformer sized to its vocabulary, `SMALL_SIZE` unless `size` says
 * otherwise) into `dir`.
 */
export function writeTestModel(dir: string, options: TestModelOptions): TestModel {
  const { trainingFiles, kind = 'wordpiece', size = SMALL_SIZE, seed = 7, ...transformer } = options;
  const tokenizer = join(dir, 'tokenizer.json');
  trainTokenizer(kind, trainingFiles, tokenizer);
  const vocabSize = Tokenizer.fromFile(tokenizer).getVocabSize(true);
  const model = join(dir, 'model.onnx');
  writeFileSync(model, buildTransformerModel({ vocabSize, size, seed, ...transformer }));
  return { model, tokenizer };
}
