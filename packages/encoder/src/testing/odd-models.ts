import { writeFileSync } from 'node:fs';
import { GraphBuilder } from '../lib/onnx/graph-builder';
import { HF_INPUT_NAMES, LAST_HIDDEN_STATE } from '../lib/onnx/hf-names';

/** Positions a `short-positions` model takes, in a table whose name does not say what it holds. */
export const SHORT_POSITIONS = 16;

/**
 * Writes a model that misbehaves on purpose, over 8-wide token embeddings: `pooled` outputs one
 * state per text instead of per token, `nan` outputs NaN, `short-positions` fails on texts longer
 * than `SHORT_POSITIONS` tokens.
 */
export function writeOddModel(path: string, vocabSize: number, shape: 'pooled' | 'nan' | 'short-positions'): void {
  const g = new GraphBuilder();
  const ids = g.input(HF_INPUT_NAMES.inputIds, 'int64', ['batch', 'tokens']);
  g.input(HF_INPUT_NAMES.attentionMask, 'int64', ['batch', 'tokens']);
  const table = g.floats('emb', [vocabSize, 8], new Float32Array(vocabSize * 8).fill(0.5));
  const embedded = g.op('Gather', [table, ids], { axis: 0 });
  if (shape === 'short-positions') {
    const positionTable = g.floats('table', [SHORT_POSITIONS, 8], new Float32Array(SHORT_POSITIONS * 8).fill(0.25));
    const length = g.op('Gather', [g.op('Shape', [ids]), g.ints('one_index', [], [1])], { axis: 0 });
    const positions = g.op('Range', [g.ints('zero', [], [0]), length, g.ints('one', [], [1])]);
    g.output(LAST_HIDDEN_STATE, 'float32', ['batch', 'tokens', 8]);
    g.op('Add', [embedded, g.op('Gather', [positionTable, positions], { axis: 0 })], {}, LAST_HIDDEN_STATE);
  } else if (shape === 'pooled') {
    g.output(LAST_HIDDEN_STATE, 'float32', ['batch', 8]);
    g.op('ReduceMean', [embedded], { axes: [1], keepdims: 0 }, LAST_HIDDEN_STATE);
  } else {
    g.output(LAST_HIDDEN_STATE, 'float32', ['batch', 'tokens', 8]);
    g.op('Sqrt', [g.op('Neg', [embedded])], {}, LAST_HIDDEN_STATE);
  }
  writeFileSync(path, g.encode('odd'));
}
