import type { Matrix } from './npy';
import type { OnnxTokenModel } from './onnx/onnx-token-model';
import { ProjectionHead } from './onnx/projection-head';
import { firstNonFiniteRow, normalizeRows } from './post-processing';
import { EncoderError, type EncodedBatch, TextEncodingError, type TokenEncoder, type TokenIds, type Tokenizer } from './types';

export interface BatchedEncoderParts {
  readonly model: string;
  readonly fingerprint: string;
  readonly tokenizer: Tokenizer;
  readonly session: OnnxTokenModel;
  readonly batchSize: number;
  readonly threads: number;
  readonly normalize: boolean;
  /** Known up front (built-in encoder) or checked against the model's output. */
  readonly dim?: number;
  readonly projection?: { readonly matrix: Matrix; readonly source: string };
}

/**
 * Tokenizes a window of texts, runs them through the model in length-sorted micro-batches (so
 * each batch pads to a similar length), applies projection and normalisation to real tokens
 * only, and returns the rows in the caller's order.
 */
export class BatchedEncoder implements TokenEncoder {
  readonly model: string;
  readonly fingerprint: string;
  private width: number | undefined;
  private projection: ProjectionHead | undefined;

  constructor(private readonly parts: BatchedEncoderParts) {
    this.model = parts.model;
    this.fingerprint = parts.fingerprint;
    this.width = parts.dim;
  }

  get dim(): number | undefined {
    return this.width;
  }

  async encode(texts: readonly string[]): Promise<EncodedBatch> {
    const tokens = await this.parts.tokenizer.encodeBatch(texts);
    const empty = tokens.findIndex((ids) => ids.length === 0);
    if (empty >= 0) {
      throw new TextEncodingError(
        `tokenizes to zero tokens. Use a tokenizer that adds special tokens (a post-processor such as BERT's [CLS] … [SEP]), or drop empty chunks from the catalog.`,
        empty,
      );
    }
    const order = tokens.map((_, i) => i).sort((a, b) => tokens[a].length - tokens[b].length);
    const rowsByText: Float32Array[] = new Array(texts.length);
    for (let start = 0; start < order.length; start += this.parts.batchSize) {
      const members = order.slice(start, start + this.parts.batchSize);
      const vectors = await this.encodeMicroBatch(members.map((i) => tokens[i]), members);
      let offset = 0;
      for (const i of members) {
        const size = tokens[i].length * (this.width as number);
        rowsByText[i] = vectors.subarray(offset, offset + size);
        offset += size;
      }
    }
    return { lengths: Int32Array.from(tokens, (ids) => ids.length), vectors: concat(rowsByText) };
  }

  private async encodeMicroBatch(batch: readonly TokenIds[], members: readonly number[]): Promise<Float32Array> {
    const { states, width: modelWidth } = await this.parts.session.run(batch);
    let vectors = states;
    let width = modelWidth;
    if (this.parts.projection) {
      this.projection ??= await ProjectionHead.create(this.parts.projection.matrix, modelWidth, this.parts.projection.source, this.parts.threads);
      vectors = await this.projection.apply(states);
      width = this.projection.outDim;
    }
    this.checkWidth(width);
    const bad = firstNonFiniteRow(vectors, width);
    if (bad >= 0) {
      throw new TextEncodingError(`produced NaN or Infinity at token ${tokenOf(batch, bad)} from model ${this.model}. Check the model export (fp16 overflow is a common cause).`, members[textOf(batch, bad)]);
    }
    if (this.parts.normalize) normalizeRows(vectors, width);
    return vectors;
  }

  private checkWidth(width: number): void {
    const expected = this.width;
    if (expected !== undefined && expected !== width) {
      throw new EncoderError(
        `Model ${this.model} produces ${width}-wide vectors but "encoder.dim" is ${expected}. Set "encoder.dim" to ${width} (or add a projection to ${expected}).`,
      );
    }
    this.width = width;
  }

  async close(): Promise<void> {
    await Promise.all([this.parts.session.close(), this.projection?.close()]);
  }
}

/** Which text of `batch` owns its `row`-th real token. */
function textOf(batch: readonly TokenIds[], row: number): number {
  let seen = 0;
  return batch.findIndex((ids) => (seen += ids.length) > row);
}

function tokenOf(batch: readonly TokenIds[], row: number): number {
  const text = textOf(batch, row);
  return row - batch.slice(0, text).reduce((sum, ids) => sum + ids.length, 0);
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
