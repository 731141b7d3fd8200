import { InferenceSession, Tensor } from 'onnxruntime-node';
import { EncoderError, type EncodedBatch, type TokenIds } from '../types';

export interface OnnxTokenModelOptions {
  /** Human-readable origin of the model, for error messages. */
  readonly source: string;
  readonly inputIdsName: string;
  readonly attentionMaskName: string;
  readonly outputName: string;
  readonly threads: number;
}

/**
 * One onnxruntime session for a token encoder: pads a batch to its longest member, runs it, and
 * keeps only the rows of real tokens (padding never leaves this function).
 */
export class OnnxTokenModel {
  private constructor(
    private readonly session: InferenceSession,
    private readonly options: OnnxTokenModelOptions,
  ) {}

  static async load(model: string | Uint8Array, options: OnnxTokenModelOptions): Promise<OnnxTokenModel> {
    const sessionOptions: InferenceSession.SessionOptions = {
      intraOpNumThreads: options.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    };
    let session: InferenceSession;
    try {
      session =
        typeof model === 'string'
          ? await InferenceSession.create(model, sessionOptions)
          : await InferenceSession.create(model, sessionOptions);
    } catch (error) {
      throw new EncoderError(`Cannot load ONNX model ${options.source}: ${(error as Error).message}`);
    }
    return new OnnxTokenModel(session, options);
  }

  async run(batch: readonly TokenIds[]): Promise<EncodedBatch> {
    const maxTokens = batch.reduce((max, ids) => Math.max(max, ids.length), 0);
    const inputIds = new BigInt64Array(batch.length * maxTokens);
    const mask = new BigInt64Array(batch.length * maxTokens);
    const lengths = new Int32Array(batch.length);
    batch.forEach((ids, row) => {
      lengths[row] = ids.length;
      const base = row * maxTokens;
      for (let t = 0; t < ids.length; t++) {
        inputIds[base + t] = BigInt(ids[t]);
        mask[base + t] = 1n;
      }
    });
    const shape = [batch.length, maxTokens];
    const outputs = await this.session.run({
      [this.options.inputIdsName]: new Tensor('int64', inputIds, shape),
      [this.options.attentionMaskName]: new Tensor('int64', mask, shape),
    });
    const output = outputs[this.options.outputName];
    const [batchDim, tokenDim, dim] = output.dims;
    if (output.dims.length !== 3 || batchDim !== batch.length || tokenDim !== maxTokens) {
      throw new EncoderError(
        `ONNX model ${this.options.source}: output "${this.options.outputName}" has shape [${output.dims.join(', ')}], expected [batch=${batch.length}, tokens=${maxTokens}, dim].`,
      );
    }
    return { lengths, vectors: dropPadding(output.data as Float32Array, lengths, maxTokens, dim) };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

function dropPadding(padded: Float32Array, lengths: Int32Array, maxTokens: number, dim: number): Float32Array {
  const total = lengths.reduce((sum, n) => sum + n, 0);
  const vectors = new Float32Array(total * dim);
  let row = 0;
  lengths.forEach((length, i) => {
    const start = i * maxTokens * dim;
    vectors.set(padded.subarray(start, start + length * dim), row * dim);
    row += length;
  });
  return vectors;
}
