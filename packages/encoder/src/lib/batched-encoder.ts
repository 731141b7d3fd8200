import type { Matrix } from './npy';
import type { OnnxTokenModel } from './onnx/onnx-token-model';
import { OutputHead } from './onnx/output-head';
import {
  type EncodedBatch,
  type EncoderTimings,
  EncoderError,
  type ResolvedEncoderOptions,
  TextEncodingError,
  type TokenEncoder,
  type TokenIds,
  type TokenizedWindow,
  type Tokenizer,
} from './types';
import { tokensWithRows, type WindowOptions, windowInputs } from './windows';

export interface BatchedEncoderParts {
  /** What the user configured (`TokenEncoder.model`). */
  readonly model: string;
  readonly fingerprint: string;
  readonly tokenizer: Tokenizer;
  /** The model in onnxruntime: token ids in, states out. */
  readonly tokenModel: OnnxTokenModel;
  /** How texts become model inputs (`maxLength`, `overflow`, `stride`). */
  readonly windows: WindowOptions;
  readonly batchSize: number;
  readonly overlap: boolean;
  readonly normalize: boolean;
  /** Whether output rows are unit length, when the model itself normalises (default: `normalize`). */
  readonly normalized?: boolean;
  /** Emit float16 bits instead of float32 values. */
  readonly float16: boolean;
  /** Known up front (built-in encoder) or checked against the model's output. */
  readonly dim?: number;
  readonly projection?: { readonly matrix: Matrix; readonly source: string };
}

/** The parts every encoder takes from its options as they are. */
export function batchingParts(
  options: ResolvedEncoderOptions,
): Pick<BatchedEncoderParts, 'windows' | 'batchSize' | 'overlap' | 'float16'> {
  return {
    windows: { maxLength: options.maxLength, overflow: options.overflow, stride: options.stride },
    batchSize: options.batchSize,
    overlap: options.overlap !== false,
    float16: options.outputDtype === 'float16',
  };
}

/** One micro-batch after the model and the output head, still padded. */
interface FinishedBatch {
  readonly vectors: Float32Array | Uint16Array;
  readonly squares: Float32Array;
  /** Rows per member: member k's real rows start at row k × tokensPerText, padding fills the rest. */
  readonly tokensPerText: number;
}

/**
 * Tokenizes a window of texts, runs them through the model in length-sorted micro-batches (so
 * each batch pads to a similar length), finishes them in an onnxruntime output head
 * (projection, NaN/Inf check, normalisation, float16), and returns the rows in the caller's order.
 */
export class BatchedEncoder implements TokenEncoder {
  readonly model: string;
  readonly fingerprint: string;
  readonly normalized: boolean;
  readonly timings: EncoderTimings = { tokenizeMs: 0, runMs: 0, postMs: 0 };
  private width: number | undefined;
  private head: Promise<OutputHead> | undefined;

  constructor(private readonly parts: BatchedEncoderParts) {
    this.model = parts.model;
    this.fingerprint = parts.fingerprint;
    this.normalized = parts.normalized ?? parts.normalize;
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
    const { tokenizer } = this.parts;
    const window = windowInputs(await tokenizer.encodeContent(texts), tokenizer.specials, this.parts.windows);
    this.timings.tokenizeMs += performance.now() - started;
    // Only a text without tokens, with a tokenizer that adds no special tokens, makes an empty input: its only one.
    const input = window.tokens.findIndex((ids) => ids.length === 0);
    const empty = input >= 0 && window.rows ? window.rows.text[input] : input;
    if (empty >= 0) {
      throw new TextEncodingError(
        `tokenizes to zero tokens. Use a tokenizer that adds special tokens (a post-processor such as BERT's [CLS] … [SEP]), or drop empty chunks from the catalog.`,
        empty,
      );
    }
    return window;
  }

  async rowTokens(text: string): Promise<string[]> {
    const { tokenizer, windows } = this.parts;
    return tokensWithRows(await tokenizer.tokenTexts(text), tokenizer.specials, windows);
  }

  async encodeTokenized({ tokens, rows }: TokenizedWindow): Promise<EncodedBatch> {
    const makeVectors = (n: number) => (this.parts.float16 ? new Uint16Array(n) : new Float32Array(n));
    if (tokens.length === 0) return { lengths: new Int32Array(0), vectors: makeVectors(0) };
    // Input i gives rows from[i]..to[i] of its own to text textOf[i], at row firstRow[i] of the result.
    const textOf = rows?.text ?? Int32Array.from(tokens, (_, i) => i);
    const from = rows?.from ?? new Int32Array(tokens.length);
    const to = rows?.to ?? Int32Array.from(tokens, (ids) => ids.length);
    const lengths = new Int32Array(textOf[tokens.length - 1] + 1);
    const firstRow = new Int32Array(tokens.length);
    let totalRows = 0;
    for (let i = 0; i < tokens.length; i++) {
      firstRow[i] = totalRows;
      lengths[textOf[i]] += to[i] - from[i];
      totalRows += to[i] - from[i];
    }
    const order = tokens.map((_, i) => i).sort((a, b) => tokens[a].length - tokens[b].length);
    const groups: number[][] = [];
    for (let start = 0; start < order.length; start += this.parts.batchSize)
      groups.push(order.slice(start, start + this.parts.batchSize));
    const run = (group: number[]) => this.encodeMicroBatch(group.map((i) => tokens[i]));
    let vectors: Float32Array | Uint16Array | undefined;
    let next = run(groups[0]);
    try {
      for (let g = 0; g < groups.length; g++) {
        const finished = await next;
        // Keep onnxruntime busy: the next batch runs while this one is copied into place.
        if (g + 1 < groups.length && this.parts.overlap) next = run(groups[g + 1]);
        const width = this.width as number;
        // Rows go straight to their final place: one allocation per window, not per batch.
        vectors ??= makeVectors(totalRows * width);
        groups[g].forEach((input, k) => {
          const start = k * finished.tokensPerText;
          for (let row = from[input]; row < to[input]; row++) {
            if (!Number.isFinite(finished.squares[start + row])) {
              throw new TextEncodingError(
                `produced NaN or Infinity at token ${row} from model ${this.model}. Check the model export (fp16 overflow is a common cause).`,
                textOf[input],
              );
            }
          }
          (vectors as Float32Array).set(
            finished.vectors.subarray((start + from[input]) * width, (start + to[input]) * width) as Float32Array,
            firstRow[input] * width,
          );
        });
        if (g + 1 < groups.length && !this.parts.overlap) next = run(groups[g + 1]);
      }
    } catch (error) {
      await next.catch(() => undefined);
      throw error;
    }
    return { lengths, vectors: vectors as Float32Array | Uint16Array };
  }

  /** The model on one micro-batch, then its states through the output head. */
  private async encodeMicroBatch(batch: readonly TokenIds[]): Promise<FinishedBatch> {
    const running = performance.now();
    const states = await this.parts.tokenModel.run(batch);
    const finishing = performance.now();
    this.timings.runMs += finishing - running;
    this.head ??= OutputHead.create({
      width: states.width,
      projection: this.parts.projection,
      normalize: this.parts.normalize,
      float16: this.parts.float16,
    });
    const head = await this.head;
    // The head runs on the padded rows as they come out of the model: no copy, and padding is
    // only a few rows in length-sorted batches. Only real rows are checked and kept.
    const { vectors, squares } = await head.apply(states.padded);
    this.checkWidth(head.outDim);
    this.timings.postMs += performance.now() - finishing;
    return { vectors, squares, tokensPerText: states.tokensPerText };
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
    await Promise.all([
      this.parts.tokenModel.close(),
      this.head?.then(
        (head) => head.close(),
        () => undefined,
      ),
    ]);
  }
}
