/**
 * Generates a test encoder without any download: a tokenizer.json trained with the Hugging Face
 * trainers on this repository's encoder sources, and a random-weight transformer sized to it.
 * Same arguments, same bytes.
 *
 *   tsx --conditions=@xtr-nx/source tools/models/generate-test-model.ts --out dist/models/small --size small
 *   … --size xtr-base --tokenizer unigram   (google/xtr-base-en's shape: 12 × 768, projection to 128)
 */
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Tokenizer } from 'tokenizers';
import { SMALL_SIZE, type TokenizerKind, writeTestModel, XTR_BASE_SIZE } from '@xtr-nx/encoder/testing';
import { sourceFiles } from '../catalog/source-files';

const SIZES = {
  small: { size: SMALL_SIZE, projectionDim: undefined },
  'xtr-base': { size: XTR_BASE_SIZE, projectionDim: 128 },
} as const;

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      size: { type: 'string', default: 'small' },
      tokenizer: { type: 'string', default: 'wordpiece' },
      seed: { type: 'string', default: '7' },
    },
  });
  const preset = SIZES[values.size as keyof typeof SIZES];
  if (!values.out || !preset || !['wordpiece', 'unigram', 'bpe'].includes(values.tokenizer)) {
    throw new Error(
      'usage: generate-test-model --out <dir> [--size small|xtr-base] [--tokenizer wordpiece|unigram|bpe] [--seed N]',
    );
  }
  const root = resolve(__dirname, '../..');
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const training = (await sourceFiles(root)).filter((f) => f.startsWith('packages/encoder/src/') && f.endsWith('.ts'));
  const { model, tokenizer } = writeTestModel(out, {
    trainingFiles: training.map((f) => join(root, f)),
    kind: values.tokenizer as TokenizerKind,
    seed: Number(values.seed),
    ...preset,
  });
  const vocabSize = Tokenizer.fromFile(tokenizer).getVocabSize(true);
  const mib = (statSync(model).size / 2 ** 20).toFixed(1);
  console.log(
    `test model: ${values.size} (${preset.size.layers} × ${preset.size.hidden}, vocab ${vocabSize}, ${mib} MiB) → ${values.out}`,
  );
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
