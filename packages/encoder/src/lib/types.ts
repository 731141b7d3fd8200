/** Token vectors for a batch of texts, in input order. */
export interface EncodedBatch {
  /** Tokens kept per text (padding never counts). */
  readonly lengths: Int32Array;
  /** Row-major `[sum(lengths), dim]`: the rows of text 0, then text 1, … */
  readonly vectors: Float32Array;
}

/** Turns chunk texts into one L2-normalised vector per token. */
export interface TokenEncoder {
  /** What the user configured, e.g. `builtin:hash`. */
  readonly model: string;
  readonly dim: number;
  /**
   * Digest of everything that determines the vectors (model bytes, tokenizer, options): equal
   * fingerprints mean equal vectors for equal text.
   */
  readonly fingerprint: string;
  encode(texts: readonly string[]): Promise<EncodedBatch>;
  close(): Promise<void>;
}

export interface EncoderOptions {
  /** `builtin:hash` (no download) or, from the next release on, a path to an `.onnx` model. */
  readonly model: string;
  /** Tokens kept per chunk, special tokens included; longer chunks are truncated. */
  readonly maxLength?: number;
  /** Texts per `session.run` call. */
  readonly batchSize?: number;
  /** onnxruntime intra-op threads (default: available cores). */
  readonly threads?: number;
}

/** A tokenizer's output for one text: ids, truncated to the configured maximum length. */
export type TokenIds = Int32Array;

export class EncoderError extends Error {
  override readonly name = 'EncoderError';
}
