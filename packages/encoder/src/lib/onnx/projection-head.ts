import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Matrix } from '../npy';
import { EncoderError } from '../types';
import { GraphBuilder } from './graph-builder';

/**
 * A linear projection applied to model states (XTR and ColBERT project 768 → 128), run as its
 * own tiny onnxruntime graph so it uses the same optimised MatMul as the model.
 */
export class ProjectionHead {
  private constructor(
    private readonly session: InferenceSession,
    readonly inDim: number,
    readonly outDim: number,
  ) {}

  /**
   * Orients the matrix against the model's width: `[out, in]` (torch `Linear.weight`) or
   * `[in, out]`; a square matrix is taken as torch's layout.
   */
  static async create(matrix: Matrix, width: number, source: string, threads: number): Promise<ProjectionHead> {
    let weights: Float32Array;
    let outDim: number;
    if (matrix.cols === width) {
      outDim = matrix.rows;
      weights = transpose(matrix);
    } else if (matrix.rows === width) {
      outDim = matrix.cols;
      weights = matrix.data;
    } else {
      throw new EncoderError(
        `Projection ${source} has shape (${matrix.rows}, ${matrix.cols}) but the model's states are ${width} wide; one side must be ${width}.`,
      );
    }
    const g = new GraphBuilder();
    const states = g.input('states', 'float32', ['rows', width]);
    g.output('projected', 'float32', ['rows', outDim]);
    g.op('MatMul', [states, g.floats('weights', [width, outDim], weights)], {}, 'projected');
    const session = await InferenceSession.create(g.encode('xtr_projection'), { intraOpNumThreads: threads, interOpNumThreads: 1 });
    return new ProjectionHead(session, width, outDim);
  }

  async apply(states: Float32Array): Promise<Float32Array> {
    const rows = states.length / this.inDim;
    const result = await this.session.run({ states: new Tensor('float32', states, [rows, this.inDim]) });
    return result.projected.data as Float32Array;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

function transpose({ rows, cols, data }: Matrix): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}
