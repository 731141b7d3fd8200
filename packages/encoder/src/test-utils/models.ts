import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder } from '../lib/onnx/graph-builder';
import { buildTransformerModel, SMALL_SIZE, type TransformerOptions } from '../testing/transformer-model';
import { trainTokenizer, type TokenizerKind } from '../testing/train-tokenizer';
import { Tokenizer } from 'tokenizers';

/** Sources of this package: real code to train test tokenizers on. */
export const TRAINING_FILES = [
  join(__dirname, '../lib/batched-encoder.ts'),
  join(__dirname, '../lib/onnx/onnx-token-model.ts'),
  join(__dirname, '../testing/transformer-model.ts'),
];

export interface TestModel {
  readonly dir: string;
  readonly model: string;
  readonly tokenizer: string;
}

/** A trained tokenizer plus a small random transformer sized to its vocabulary, in a temp folder. */
export function makeTestModel(kind: TokenizerKind = 'wordpiece', options: Partial<TransformerOptions> = {}): TestModel {
  const dir = mkdtempSync(join(tmpdir(), 'xtr-model-'));
  const tokenizer = join(dir, 'tokenizer.json');
  trainTokenizer(kind, TRAINING_FILES, tokenizer);
  const vocabSize = Tokenizer.fromFile(tokenizer).getVocabSize(true);
  const model = join(dir, 'model.onnx');
  writeFileSync(model, buildTransformerModel({ vocabSize, size: SMALL_SIZE, seed: 7, ...options }));
  return { dir, model, tokenizer };
}

/** Positions `short-positions` takes, in a table whose name does not say what it holds. */
export const SHORT_POSITIONS = 16;

/** A graph of the given ops over token embeddings, for models that misbehave on purpose. */
export function writeOddModel(path: string, vocabSize: number, shape: 'pooled' | 'nan' | 'short-positions'): void {
  const g = new GraphBuilder();
  const ids = g.input('input_ids', 'int64', ['batch', 'tokens']);
  g.input('attention_mask', 'int64', ['batch', 'tokens']);
  const embedded = g.op('Gather', [g.floats('emb', [vocabSize, 8], new Float32Array(vocabSize * 8).fill(0.5)), ids], {
    axis: 0,
  });
  if (shape === 'short-positions') {
    const table = g.floats('table', [SHORT_POSITIONS, 8], new Float32Array(SHORT_POSITIONS * 8).fill(0.25));
    const length = g.op('Gather', [g.op('Shape', [ids]), g.ints('one_index', [], [1])], { axis: 0 });
    const positions = g.op('Range', [g.ints('zero', [], [0]), length, g.ints('one', [], [1])]);
    g.output('last_hidden_state', 'float32', ['batch', 'tokens', 8]);
    g.op('Add', [embedded, g.op('Gather', [table, positions], { axis: 0 })], {}, 'last_hidden_state');
  } else if (shape === 'pooled') {
    g.output('last_hidden_state', 'float32', ['batch', 8]);
    g.op('ReduceMean', [embedded], { axes: [1], keepdims: 0 }, 'last_hidden_state');
  } else {
    g.output('last_hidden_state', 'float32', ['batch', 'tokens', 8]);
    g.op('Sqrt', [g.op('Neg', [embedded])], {}, 'last_hidden_state');
  }
  writeFileSync(path, g.encode('odd'));
}

/** Writes a float32 `.npy` file, as `np.save` does. */
export function writeNpy(path: string, rows: number, cols: number, data: Float32Array): void {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  header = header.padEnd(Math.ceil((header.length + 11) / 64) * 64 - 11, ' ') + '\n';
  const preamble = Buffer.concat([Buffer.from('\x93NUMPY', 'latin1'), Buffer.from([1, 0]), Buffer.alloc(2)]);
  preamble.writeUInt16LE(header.length, 8);
  writeFileSync(path, Buffer.concat([preamble, Buffer.from(header, 'latin1'), Buffer.from(data.buffer)]));
}
