import { encodeModel, floatTensor, int64Tensor, node, valueInfo } from '../onnx/graph-builder';
import { fillSeededUniform } from './seeded-uniform';

export interface HashModelOptions {
  readonly vocabSize: number;
  readonly dim: number;
  readonly seed: number;
  /** Weight of each neighbouring token in a token's vector: what makes vectors contextual. */
  readonly neighbourWeight: number;
}

export const INPUT_IDS = 'input_ids';
export const ATTENTION_MASK = 'attention_mask';
export const LAST_HIDDEN_STATE = 'last_hidden_state';

/**
 * The built-in encoder as an ONNX graph: hashed-token embeddings, masked so padding never leaks
 * into real tokens, a depthwise width-3 convolution that adds each neighbour's embedding with
 * `neighbourWeight`, then per-token L2 normalisation. Weights come from `seed`, so the same
 * options always produce the same bytes.
 */
export function buildHashModel(options: HashModelOptions): Uint8Array {
  const { vocabSize, dim, seed, neighbourWeight } = options;
  // Uniform in ±sqrt(3/dim) has unit expected squared norm per embedding.
  const embeddings = fillSeededUniform(new Float32Array(vocabSize * dim), seed, Math.sqrt(3 / dim));
  const kernel = new Float32Array(dim * 3);
  for (let d = 0; d < dim; d++) kernel.set([neighbourWeight, 1, neighbourWeight], d * 3);

  return encodeModel({
    name: 'xtr_builtin_hash',
    inputs: [valueInfo(INPUT_IDS, 'int64', ['batch', 'tokens']), valueInfo(ATTENTION_MASK, 'int64', ['batch', 'tokens'])],
    outputs: [valueInfo(LAST_HIDDEN_STATE, 'float32', ['batch', 'tokens', dim])],
    initializers: [
      floatTensor('embeddings', [vocabSize, dim], embeddings),
      floatTensor('neighbour_kernel', [dim, 1, 3], kernel),
      int64Tensor('last_axis', [1], [2]),
      floatTensor('epsilon', [], new Float32Array([1e-12])),
    ],
    nodes: [
      node('Gather', ['embeddings', INPUT_IDS], ['embedded'], { axis: 0 }),
      node('Cast', [ATTENTION_MASK], ['mask'], { to: 1 /* FLOAT */ }),
      node('Unsqueeze', ['mask', 'last_axis'], ['mask3']),
      node('Mul', ['embedded', 'mask3'], ['masked']),
      node('Transpose', ['masked'], ['channels_first'], { perm: [0, 2, 1] }),
      node('Conv', ['channels_first', 'neighbour_kernel'], ['mixed_cf'], { group: dim, kernel_shape: [3], pads: [1, 1] }),
      node('Transpose', ['mixed_cf'], ['mixed'], { perm: [0, 2, 1] }),
      node('ReduceSumSquare', ['mixed'], ['square_norm'], { axes: [-1], keepdims: 1 }),
      node('Add', ['square_norm', 'epsilon'], ['square_norm_eps']),
      node('Sqrt', ['square_norm_eps'], ['norm']),
      node('Div', ['mixed', 'norm'], [LAST_HIDDEN_STATE]),
    ],
  });
}
