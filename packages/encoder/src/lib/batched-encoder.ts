import type { OnnxTokenModel } from './onnx/onnx-token-model';
import type { EncodedBatch, TokenEncoder, TokenIds } from './types';

export interface Tokenizer {
  encode(text: string): TokenIds;
}

export interface BatchedEncoderParts {
  readonly model: string;
  readonly dim: number;
  readonly fingerprint: string;
  readonly tokenizer: Tokenizer;
  readonly session: OnnxTokenModel;
  readonly batchSize: number;
}

/**
 * Tokenizes a window of texts, runs them through the model in length-sorted micro-batches (so
 * each batch pads to a similar length), and returns the rows in the caller's order.
 */
export class BatchedEncoder implements TokenEncoder {
  readonly model: string;
  readonly dim: number;
  readonly fingerprint: string;

  constructor(private readonly parts: BatchedEncoderParts) {
    this.model = parts.model;
    this.dim = parts.dim;
    this.fingerprint = parts.fingerprint;
  }

  async encode(texts: readonly string[]): Promise<EncodedBatch> {
    const tokens = texts.map((text) => this.parts.tokenizer.encode(text));
    const order = tokens.map((_, i) => i).sort((a, b) => tokens[a].length - tokens[b].length);
    const rowsByText: Float32Array[] = new Array(texts.length);
    for (let start = 0; start < order.length; start += this.parts.batchSize) {
      const members = order.slice(start, start + this.parts.batchSize);
      const { vectors } = await this.parts.session.run(members.map((i) => tokens[i]));
      let offset = 0;
      for (const i of members) {
        const size = tokens[i].length * this.dim;
        rowsByText[i] = vectors.subarray(offset, offset + size);
        offset += size;
      }
    }
    const lengths = Int32Array.from(tokens, (ids) => ids.length);
    const vectors = new Float32Array(lengths.reduce((sum, n) => sum + n, 0) * this.dim);
    let offset = 0;
    for (const rows of rowsByText) {
      vectors.set(rows, offset);
      offset += rows.length;
    }
    return { lengths, vectors };
  }

  close(): Promise<void> {
    return this.parts.session.close();
  }
}
