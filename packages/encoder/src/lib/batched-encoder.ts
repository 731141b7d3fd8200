import type { Matrix } from './npy';
import type { OnnxTokenModel } from './onnx/onnx-token-model';
import { ProjectionHead } from './onnx/projection-head';
import { finishRows } from './post-processing';
import { type EncodedBatch, type EncoderTimings, EncoderError, TextEncodingError, type TokenEncoder, type TokenIds, type TokenizedWindow, type Tokenizer } from './types';

export interface BatchedEncoderParts {
  readonly model: string;
  readonly fingerprint: string;
  readonly tokenizer: Tokenizer;
  readonly session: OnnxTokenModel;
  readonly batchSize: number;
  readonly threads: number;
  readonly overlap: boolean;
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
  readonly timings: EncoderTimings = { tokenizeMs: 0, runMs: 0, postMs: 0 };
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
    return this.encodeTokenized(await this.tokenize(texts));
  }

  async tokenize(texts: readonly string[]): Promise<TokenizedWindow> {
    const started = performance.now();
    const tokens = await this.parts.tokenizer.encodeBatch(texts);
    this.timings.tokenizeMs += performance.now() - started;
    const empty = tokens.findIndex((ids) => ids.length === 0);
    if (empty >= 0) {
      throw new TextEncodingError(
        `tokenizes to zero tokens. Use a tokenizer that adds special tokens (a post-processor such as BERT's [CLS] … [SEP]), or drop empty chunks from the catalog.`,
        empty,
      );
    }
    return { tokens };
  }

  async encodeTokenized({ tokens }: TokenizedWindow): Promise<EncodedBatch> {
    if (tokens.length === 0) return { lengths: new Int32Array(0), vectors: new Float32Array(0) };
    const lengths = Int32Array.from(tokens, (ids) => ids.length);
    const firstRow = new Int32Array(tokens.length);
    for (let i = 1; i < tokens.length; i++) firstRow[i] = firstRow[i - 1] + lengths[i - 1];
    const totalRows = firstRow[tokens.length - 1] + lengths[tokens.length - 1];
    const order = tokens.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b]);
    const groups: number[][] = [];
    for (let start = 0; start < order.length; start += this.parts.batchSize) groups.push(order.slice(start, start + this.parts.batchSize));
    const run = (group: number[]) => this.encodeMicroBatch(group.map((i) => tokens[i]));
    let vectors: Float32Array | undefined;
    let next = run(groups[0]);
    try {
      for (let g = 0; g < groups.length; g++) {
        const states = await next;
        // Keep onnxruntime busy: the next batch runs while this one is copied and normalised.
        if (g + 1 < groups.length && this.parts.overlap) next = run(groups[g + 1]);
        const width = this.width as number;
        const started = performance.now();
        // Rows go straight to their final place: one allocation per window, not per batch.
        vectors ??= new Float32Array(totalRows * width);
        groups[g].forEach((text, k) => {
          const rows = vectors!.subarray(firstRow[text] * width, (firstRow[text] + lengths[text]) * width);
          rows.set(states(k));
          const bad = finishRows(rows, width, this.parts.normalize);
          if (bad >= 0) {
            throw new TextEncodingError(`produced NaN or Infinity at token ${bad} from model ${this.model}. Check the model export (fp16 overflow is a common cause).`, text);
          }
        });
        this.timings.postMs += performance.now() - started;
        if (g + 1 < groups.length && !this.parts.overlap) next = run(groups[g + 1]);
      }
    } catch (error) {
      await next.catch(() => undefined);
      throw error;
    }
    return { lengths, vectors: vectors as Float32Array };
  }

  /** Runs one micro-batch; returns each member's real-token rows, projected when configured. */
  private async encodeMicroBatch(batch: readonly TokenIds[]): Promise<(k: number) => Float32Array> {
    const started = performance.now();
    try {
      return await this.runModel(batch);
    } finally {
      this.timings.runMs += performance.now() - started;
    }
  }

  private async runModel(batch: readonly TokenIds[]): Promise<(k: number) => Float32Array> {
    const states = await this.parts.session.run(batch);
    if (!this.parts.projection) {
      this.checkWidth(states.width);
      return (k) => states.rowsOf(k);
    }
    this.projection ??= await ProjectionHead.create(this.parts.projection.matrix, states.width, this.parts.projection.source, this.parts.threads);
    const contiguous = new Float32Array(batch.reduce((sum, ids) => sum + ids.length, 0) * states.width);
    const starts: number[] = [];
    let row = 0;
    batch.forEach((ids, k) => {
      starts.push(row);
      contiguous.set(states.rowsOf(k), row * states.width);
      row += ids.length;
    });
    const projected = await this.projection.apply(contiguous);
    const width = this.projection.outDim;
    this.checkWidth(width);
    return (k) => projected.subarray(starts[k] * width, (starts[k] + batch[k].length) * width);
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
