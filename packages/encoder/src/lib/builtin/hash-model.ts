import { FLOAT_TYPE, GraphBuilder } from '../onnx/graph-builder';
import { HF_INPUT_NAMES, LAST_HIDDEN_STATE } from '../onnx/hf-names';
import { fillSeededUniform } from './seeded-uniform';

export interface HashModelOptions {
  readonly vocabSize: number;
  readonly dim: number;
  readonly seed: number;
  /** Weight of each neighbouring token in a token's vector: what makes vectors contextual. */
  readonly neighbourWeight: number;
}

/**
 * The built-in encoder as an ONNX graph: hashed-token embeddings, masked so padding never leaks
 * into real tokens, a depthwise width-3 convolution that adds each neighbour's embedding with
 * `neighbourWeight`, then per-token L2 normalisation. Weights come from `seed`, so the same
 * options always produce the same bytes. Inputs and output carry Hugging Face's names.
 */
export function buildHashModel(options: HashModelOptions): Uint8Array {
  const { vocabSize, dim, seed, neighbourWeight } = options;
  const g = new GraphBuilder();
  const ids = g.input(HF_INPUT_NAMES.inputIds, 'int64', ['batch', 'tokens']);
  const mask = g.input(HF_INPUT_NAMES.attentionMask, 'int64', ['batch', 'tokens']);
  g.output(LAST_HIDDEN_STATE, 'float32', ['batch', 'tokens', dim]);

  // Uniform in ±sqrt(3/dim) has unit expected squared norm per embedding.
  const embeddings = g.floats(
    'embeddings',
    [vocabSize, dim],
    fillSeededUniform(new Float32Array(vocabSize * dim), seed, Math.sqrt(3 / dim)),
  );
  const kernel = new Float32Array(dim * 3);
  for (let d = 0; d < dim; d++) kernel.set([neighbourWeight, 1, neighbourWeight], d * 3);

  const mask3 = g.op('Unsqueeze', [g.op('Cast', [mask], { to: FLOAT_TYPE }), g.ints('last_axis', [1], [2])]);
  const masked = g.op('Mul', [g.op('Gather', [embeddings, ids], { axis: 0 }), mask3]);
  const channelsFirst = g.op('Transpose', [masked], { perm: [0, 2, 1] });
  const conv = g.op('Conv', [channelsFirst, g.floats('neighbour_kernel', [dim, 1, 3], kernel)], {
    group: dim,
    kernel_shape: [3],
    pads: [1, 1],
  });
  const mixed = g.op('Transpose', [conv], { perm: [0, 2, 1] });
  const squareNorm = g.op('ReduceSumSquare', [mixed], { axes: [-1], keepdims: 1 });
  const norm = g.op('Sqrt', [g.op('Add', [squareNorm, g.floats('epsilon', [], new Float32Array([1e-12]))])]);
  g.op('Div', [mixed, norm], {}, LAST_HIDDEN_STATE);
  return g.encode('xtr_builtin_hash');
}
