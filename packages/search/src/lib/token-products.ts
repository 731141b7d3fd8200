import { FLOAT_TYPE, GraphBuilder } from '@xtr-nx/encoder';
import type { Dtype } from '@xtr-nx/storage';
import { InferenceSession, Tensor } from 'onnxruntime-node';

/**
 * Dot products of every document row in a block with every query row, as one onnxruntime
 * MatMul: `[rows, dim] × [dim, queryRows]`. Its CPU GEMM is several times faster than a
 * JavaScript loop, and a float16 block is widened by a Cast inside the graph, so the token file's
 * bytes go in as they are read.
 *
 * With `groupRows` > 1 the graph also takes the maximum over each group of that many consecutive
 * rows (`ReduceMax`), returning `[rows / groupRows, queryRows]`: what MaxSim needs when no group
 * straddles two chunks, and a far smaller output to hand back to JavaScript (on two cores that
 * doubles the products per second of a batch of queries).
 */
export class TokenProducts {
  private constructor(
    private readonly session: InferenceSession,
    private readonly dtype: Dtype,
    private readonly dim: number,
    private readonly queries: Tensor,
    readonly queryRows: number,
  ) {}

  /** `rows` holds L2-normalised query rows `[queryRows, dim]`, row-major. */
  static async create(
    dtype: Dtype,
    dim: number,
    rows: Float32Array,
    threads: number,
    groupRows = 1,
  ): Promise<TokenProducts> {
    const queryRows = rows.length / dim;
    const g = new GraphBuilder();
    g.input('doc', dtype, ['rows', dim]);
    g.input('query_t', 'float32', [dim, 'query_rows']);
    const doc = dtype === 'float16' ? g.op('Cast', ['doc'], { to: FLOAT_TYPE }) : 'doc';
    if (groupRows === 1) g.op('MatMul', [doc, 'query_t'], {}, 'products');
    else {
      const products = g.op('MatMul', [doc, 'query_t']);
      const groups = g.op('Reshape', [products, g.ints('group_shape', [3], [-1, groupRows, queryRows])]);
      g.op('ReduceMax', [groups], { axes: [1], keepdims: 0 }, 'products');
    }
    g.output('products', 'float32', ['rows', 'query_rows']);
    const session = await InferenceSession.create(g.encode('xtr_token_products'), {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      extra: { session: { force_spinning_stop: '1' } },
    });
    const transposed = new Float32Array(rows.length);
    for (let q = 0; q < queryRows; q++) for (let d = 0; d < dim; d++) transposed[d * queryRows + q] = rows[q * dim + d];
    return new TokenProducts(session, dtype, dim, new Tensor('float32', transposed, [dim, queryRows]), queryRows);
  }

  /**
   * `[rows, queryRows]` products, row-major (`[rows / groupRows, queryRows]` maxima with groups),
   * for a block of document rows (float16 bits or float32).
   */
  async of(block: Uint16Array | Float32Array, rows: number): Promise<Float32Array> {
    const doc = new Tensor(this.dtype, block.subarray(0, rows * this.dim), [rows, this.dim]);
    const { products } = await this.session.run({ doc, query_t: this.queries });
    return products.data as Float32Array;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
