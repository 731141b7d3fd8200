import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Matrix } from '../npy';
import { EncoderError } from '../types';
import { FLOAT16_TYPE, GraphBuilder } from './graph-builder';

export interface OutputHeadOptions {
  /** Width of the model's states. */
  readonly width: number;
  /** Linear projection (XTR and ColBERT project 768 → 128) and the file it came from. */
  readonly projection?: { readonly matrix: Matrix; readonly source: string };
  readonly normalize: boolean;
  /** Emit float16 bits (onnxruntime's Cast rounds exactly like numpy's astype). */
  readonly float16: boolean;
}

/** A head's result for `rows` real-token states. */
export interface HeadOutput {
  /** `[rows, outDim]`, float32 values or float16 bits. */
  readonly vectors: Float32Array | Uint16Array;
  /** Squared norm of each row before normalisation: NaN or ±Infinity mark a broken row. */
  readonly squares: Float32Array;
}

/**
 * What happens to real-token states after the model — optional projection, the squared norm that
 * exposes NaN/Inf, L2 normalisation, float16 cast — as one small onnxruntime graph: vectorised,
 * multi-threaded, and off the JavaScript thread that feeds the model.
 */
export class OutputHead {
  private constructor(
    private readonly session: InferenceSession,
    readonly inDim: number,
    readonly outDim: number,
  ) {}

  static async create(options: OutputHeadOptions): Promise<OutputHead> {
    const { width, projection } = options;
    const oriented = projection ? orient(projection.matrix, width, projection.source) : undefined;
    const outDim = oriented?.outDim ?? width;
    const g = new GraphBuilder();
    const states = g.input('states', 'float32', ['rows', width]);
    g.output('vectors', options.float16 ? 'float16' : 'float32', ['rows', outDim]);
    g.output('squares', 'float32', ['rows', 1]);
    const projected = oriented
      ? g.op('MatMul', [states, g.floats('projection', [width, outDim], oriented.weights)])
      : states;
    const squares = g.op('ReduceSumSquare', [projected], { axes: [-1], keepdims: 1 }, 'squares');
    const norm = g.op('Max', [g.op('Sqrt', [squares]), g.floats('epsilon', [], new Float32Array([1e-12]))]);
    const finished = options.normalize ? g.op('Div', [projected, norm]) : projected;
    g.op(options.float16 ? 'Cast' : 'Identity', [finished], options.float16 ? { to: FLOAT16_TYPE } : {}, 'vectors');
    // One thread: the head is light, and a second thread pool would spin against the model's.
    const session = await InferenceSession.create(g.encode('xtr_output_head'), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
    });
    return new OutputHead(session, width, outDim);
  }

  async apply(states: Float32Array): Promise<HeadOutput> {
    const rows = states.length / this.inDim;
    const result = await this.session.run({ states: new Tensor('float32', states, [rows, this.inDim]) });
    return { vectors: result.vectors.data as Float32Array | Uint16Array, squares: result.squares.data as Float32Array };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/** `[out, in]` (torch `Linear.weight`) or `[in, out]`, told apart by the model's width; square is torch's. */
function orient(matrix: Matrix, width: number, source: string): { weights: Float32Array; outDim: number } {
  if (matrix.cols === width) return { weights: transpose(matrix), outDim: matrix.rows };
  if (matrix.rows === width) return { weights: matrix.data, outDim: matrix.cols };
  throw new EncoderError(
    `Projection ${source} has shape (${matrix.rows}, ${matrix.cols}) but the model's states are ${width} wide; one side must be ${width}.`,
  );
}

function transpose({ rows, cols, data }: Matrix): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}
