import { fillSeededUniform } from '../lib/builtin/seeded-uniform';
import { FLOAT_TYPE, GraphBuilder } from '../lib/onnx/graph-builder';
import { HF_INPUT_NAMES, LAST_HIDDEN_STATE } from '../lib/onnx/hf-names';

/** Shape of a generated encoder; `XTR_BASE_SIZE` matches google/xtr-base-en's encoder. */
export interface TransformerSize {
  readonly hidden: number;
  readonly layers: number;
  readonly heads: number;
  readonly ffn: number;
  readonly maxPositions: number;
}

export const SMALL_SIZE: TransformerSize = { hidden: 64, layers: 2, heads: 4, ffn: 128, maxPositions: 512 };
export const XTR_BASE_SIZE: TransformerSize = { hidden: 768, layers: 12, heads: 12, ffn: 3072, maxPositions: 512 };

export interface TransformerOptions {
  readonly vocabSize: number;
  readonly size: TransformerSize;
  readonly seed: number;
  /** Bake a linear projection to this width into the graph (as XTR/ColBERT heads do). */
  readonly projectionDim?: number;
  /** Add a BERT-style `token_type_ids` input. */
  readonly tokenTypeIds?: boolean;
}

/**
 * A random-weight transformer encoder as ONNX, for tests and benchmarks without downloads:
 * token + position embeddings, `layers` × (multi-head self-attention honouring the attention
 * mask, GELU feed-forward, residuals, post-layer-norm), optional projection. Output is
 * `[batch, tokens, width]`, not normalised, like a `last_hidden_state`; tensors have Hugging Face's names.
 */
export function buildTransformerModel(options: TransformerOptions): Uint8Array {
  const { vocabSize, seed } = options;
  const { hidden, layers, heads, ffn, maxPositions } = options.size;
  const headDim = hidden / heads;
  if (!Number.isInteger(headDim)) throw new Error(`hidden ${hidden} is not divisible by heads ${heads}`);
  const g = new GraphBuilder();
  let tensorSeed = seed;
  const weight = (name: string, dims: number[], scale = 1 / Math.sqrt(dims[0])) =>
    g.floats(name, dims, fillSeededUniform(new Float32Array(dims.reduce((a, b) => a * b, 1)), tensorSeed++, scale));
  const constant = (name: string, value: number) => g.floats(name, [], new Float32Array([value]));
  const filled = (name: string, length: number, value: number) =>
    g.floats(name, [length], new Float32Array(length).fill(value));

  const ids = g.input(HF_INPUT_NAMES.inputIds, 'int64', ['batch', 'tokens']);
  const mask = g.input(HF_INPUT_NAMES.attentionMask, 'int64', ['batch', 'tokens']);
  const width = options.projectionDim ?? hidden;
  g.output(LAST_HIDDEN_STATE, 'float32', ['batch', 'tokens', width]);

  const layerNorm = (x: string, prefix: string) => {
    const centred = g.op('Sub', [x, g.op('ReduceMean', [x], { axes: [-1], keepdims: 1 })]);
    const variance = g.op('ReduceMean', [g.op('Mul', [centred, centred])], { axes: [-1], keepdims: 1 });
    const normed = g.op('Div', [centred, g.op('Sqrt', [g.op('Add', [variance, constant(`${prefix}_eps`, 1e-5)])])]);
    return g.op('Add', [
      g.op('Mul', [normed, filled(`${prefix}_gamma`, hidden, 1)]),
      filled(`${prefix}_beta`, hidden, 0),
    ]);
  };
  const linear = (x: string, prefix: string, inDim: number, outDim: number) =>
    g.op('Add', [g.op('MatMul', [x, weight(`${prefix}_w`, [inDim, outDim])]), filled(`${prefix}_b`, outDim, 0)]);

  // Embeddings: token + absolute position (+ token type).
  const tokens = g.op('Gather', [weight('token_embeddings', [vocabSize, hidden], 1), ids], { axis: 0 });
  const length = g.op('Gather', [g.op('Shape', [ids]), g.ints('one_index', [], [1])], { axis: 0 });
  const positions = g.op('Range', [g.ints('zero', [], [0]), length, g.ints('one', [], [1])]);
  let x = g.op('Add', [
    tokens,
    g.op('Gather', [weight('position_embeddings', [maxPositions, hidden], 1), positions], { axis: 0 }),
  ]);
  if (options.tokenTypeIds) {
    const types = g.input(HF_INPUT_NAMES.tokenTypeIds, 'int64', ['batch', 'tokens']);
    x = g.op('Add', [x, g.op('Gather', [weight('type_embeddings', [2, hidden], 1), types], { axis: 0 })]);
  }
  x = layerNorm(x, 'embeddings_ln');

  // Additive attention bias: 0 for real keys, -1e9 for padding, shaped [batch, 1, 1, tokens].
  const padding = g.op('Sub', [constant('one_f', 1), g.op('Cast', [mask], { to: FLOAT_TYPE })]);
  const bias = g.op('Unsqueeze', [g.op('Mul', [padding, constant('neg_big', -1e9)]), g.ints('head_axes', [2], [1, 2])]);
  const splitHeads = g.ints('split_heads', [4], [0, 0, heads, headDim]);
  const mergeHeads = g.ints('merge_heads', [3], [0, 0, hidden]);

  for (let l = 0; l < layers; l++) {
    const p = `layer${l}`;
    const heads4 = (name: string, perm: number[]) =>
      g.op('Transpose', [g.op('Reshape', [linear(x, `${p}_${name}`, hidden, hidden), splitHeads])], { perm });
    const q = heads4('q', [0, 2, 1, 3]);
    const k = heads4('k', [0, 2, 3, 1]);
    const v = heads4('v', [0, 2, 1, 3]);
    const scores = g.op('Add', [
      g.op('Mul', [g.op('MatMul', [q, k]), constant(`${p}_scale`, 1 / Math.sqrt(headDim))]),
      bias,
    ]);
    const context = g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), v]);
    const merged = g.op('Reshape', [g.op('Transpose', [context], { perm: [0, 2, 1, 3] }), mergeHeads]);
    x = layerNorm(g.op('Add', [x, linear(merged, `${p}_o`, hidden, hidden)]), `${p}_attn_ln`);
    const up = linear(x, `${p}_up`, hidden, ffn);
    const gelu = g.op('Mul', [up, g.op('Sigmoid', [g.op('Mul', [up, constant(`${p}_gelu`, 1.702)])])]);
    x = layerNorm(g.op('Add', [x, linear(gelu, `${p}_down`, ffn, hidden)]), `${p}_ffn_ln`);
  }
  if (options.projectionDim) {
    g.op('MatMul', [x, weight('projection', [hidden, options.projectionDim])], {}, LAST_HIDDEN_STATE);
  } else {
    g.op('Identity', [x], {}, LAST_HIDDEN_STATE);
  }
  return g.encode('xtr_test_transformer');
}
