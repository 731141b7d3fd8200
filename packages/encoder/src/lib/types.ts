/** Token vectors for a batch of texts, in input order. */
export interface EncodedBatch {
  /** Tokens kept per text (padding never counts). */
  readonly lengths: Int32Array;
  /**
   * Row-major `[sum(lengths), dim]`: the rows of text 0, then text 1, … As float32 values, or
   * float16 bits (exactly numpy's `astype(np.float16)`) with `outputDtype: 'float16'`.
   */
  readonly vectors: Float32Array | Uint16Array;
}

/** Cumulative time spent per stage, for benchmarks and `--verbose`. */
export interface EncoderTimings {
  tokenizeMs: number;
  /** The model's onnxruntime run, with filling its input tensors. */
  runMs: number;
  /** The output head (projection, normalisation, float16) on padded states. */
  postMs: number;
}

/**
 * A window of texts after tokenization, ready for the model: its inputs, one per text, or in
 * `overflow: "window"` mode several consecutive ones for a text longer than `maxLength`.
 */
export interface TokenizedWindow {
  /** The model's inputs, each with its special tokens and at most `maxLength` ids. */
  readonly tokens: readonly TokenIds[];
  /** Which rows of which inputs make up each text's rows; absent when every input is one whole text. */
  readonly rows?: InputRows;
  /** The texts longer than `maxLength` (none when absent). */
  readonly long?: LongTexts;
}

/** Input `i` gives rows `from[i]` to `to[i]` (exclusive) of its own to text `text[i]`, appended in input order. */
export interface InputRows {
  readonly text: Int32Array;
  readonly from: Int32Array;
  readonly to: Int32Array;
}

/** Texts with more tokens than one model input holds, and what became of their tail. */
export interface LongTexts {
  readonly texts: number;
  /** Tokens past `maxLength` that truncation dropped (`overflow: "truncate"`). */
  readonly cutTokens: number;
  /** Model inputs beyond one per text (`overflow: "window"`). */
  readonly extraWindows: number;
}

/**
 * What happens to a text's tokens beyond `maxLength`: `truncate` drops them (one model input per
 * text); `window` encodes them in further inputs, so every token of the text gets a row.
 */
export type Overflow = 'truncate' | 'window';

/** Turns chunk texts into one L2-normalised vector per token. */
export interface TokenEncoder {
  /** What the user configured, e.g. `builtin:hash` or a model path. */
  readonly model: string;
  /** Vector width; for ONNX models known once the model has run (`undefined` before). */
  readonly dim: number | undefined;
  /**
   * Digest of everything that determines the vectors (model bytes, tokenizer, options): equal
   * fingerprints mean equal vectors for equal text.
   */
  readonly fingerprint: string;
  /** Whether every vector is L2-normalised (recorded in the manifest, checked by verify). */
  readonly normalized: boolean;
  readonly timings: EncoderTimings;
  /** `tokenize` then `encodeTokenized`; split so a pipeline can tokenize ahead of the model. */
  encode(texts: readonly string[]): Promise<EncodedBatch>;
  tokenize(texts: readonly string[]): Promise<TokenizedWindow>;
  encodeTokenized(window: TokenizedWindow): Promise<EncodedBatch>;
  /** What people read for each row `encode([text])` gives: the token the row stands for. */
  rowTokens(text: string): Promise<string[]>;
  close(): Promise<void>;
}

/** Names of the model's inputs; `tokenTypeIds: null` means never feed one. */
export interface InputNames {
  readonly inputIds?: string;
  readonly attentionMask?: string;
  readonly tokenTypeIds?: string | null;
}

export interface EncoderOptions {
  /** `builtin:hash` (no download) or a path to an `.onnx` token encoder. */
  readonly model: string;
  /** Hugging Face `tokenizer.json` (required with an `.onnx` model). */
  readonly tokenizer?: string;
  /**
   * Tokens per model input, special tokens included; longer chunks are truncated or windowed
   * (`overflow`). At most `LIMITS.maxLength`, and at most the model's position embeddings when
   * they can be read.
   */
  readonly maxLength?: number;
  /**
   * `truncate` (longer chunks lose their tail) or `window`: a chunk longer than `maxLength` is
   * encoded in several model inputs of at most `maxLength` tokens, every token getting one row.
   */
  readonly overflow?: Overflow;
  /**
   * `window` mode: tokens of the text that consecutive windows share (Hugging Face's `stride`:
   * each window starts `stride` tokens before the previous one ended). From 0 to `maxLength / 2`.
   */
  readonly stride?: number;
  /** Texts per model run (at most `LIMITS.batchSize`). */
  readonly batchSize?: number;
  /** onnxruntime intra-op threads (at most `LIMITS.threads`). */
  readonly threads?: number;
  /** Input names, when they differ from Hugging Face's (`HF_INPUT_NAMES`; token types only if the model has them). */
  readonly inputs?: InputNames;
  /** Output holding per-token states `[batch, tokens, width]`, when it is not `LAST_HIDDEN_STATE`. */
  readonly output?: string;
  /** `.npy` matrix applied after the model (`[out, in]` as torch's Linear.weight, or `[in, out]`). */
  readonly projection?: string;
  /** L2-normalise every token vector. */
  readonly normalize?: boolean;
  /** Expected vector width; a model that produces another width is an error. */
  readonly dim?: number;
  /** Element type of the vectors returned (default float32). */
  readonly outputDtype?: 'float32' | 'float16';
  /**
   * Run the next batch while the previous one is post-processed (unless false). Off, every model
   * run has the CPU to itself: how benchmarks time the model alone.
   */
  readonly overlap?: boolean;
}

/**
 * `EncoderOptions` as `createEncoder` takes them: resolved once by the caller (a build's
 * `normalizeBuildOptions`, from the values in `defaults.ts`), so the encoder only checks them.
 */
export type ResolvedEncoderOptions = EncoderOptions &
  Required<Pick<EncoderOptions, 'maxLength' | 'overflow' | 'stride' | 'batchSize' | 'threads' | 'normalize'>>;

/** Token ids: of one model input, or of a whole text. */
export type TokenIds = Int32Array;

export interface Tokenizer {
  /** The special tokens one model input has before and after the text's own tokens (`[CLS]`, `[SEP]`). */
  readonly specials: { readonly before: TokenIds; readonly after: TokenIds };
  /** Every token of each text, uncut and without special tokens. */
  encodeContent(texts: readonly string[]): Promise<TokenIds[]>;
  /**
   * What people read for the tokens of one model input over the whole of `text`: the special
   * tokens before, every text token, the special tokens after — aligned with `specials` and
   * `encodeContent`, for explanations.
   */
  tokenTexts(text: string): Promise<string[]>;
}

export class EncoderError extends Error {
  override readonly name: string = 'EncoderError';
}

/** A problem with one input text; `textIndex` lets the caller name the chunk. */
export class TextEncodingError extends EncoderError {
  override readonly name = 'TextEncodingError';

  constructor(
    message: string,
    readonly textIndex: number,
  ) {
    super(message);
  }
}
