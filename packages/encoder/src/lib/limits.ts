/**
 * Upper bounds of the options that size a build's memory and threads: a typo such as
 * `maxLength: 1e9` or `threads: 100000` is refused with the fix instead of exhausting the machine.
 * The JSON schemas repeat these numbers as `maximum`s (a spec checks that they agree).
 */
export const LIMITS = {
  /**
   * Tokens kept per chunk. 8192 is the longest context of the token encoders exported to ONNX
   * (BERT, XTR and ColBERT take 512; jina-v2, nomic and ModernBERT 8192), and self-attention
   * grows with its square: at 8192 tokens one BERT-sized layer's scores alone take
   * 8192² × 12 heads × 4 bytes = 3 GiB per chunk.
   */
  maxLength: 8192,
  /**
   * Chunks per onnxruntime call. Throughput peaks at 8 (1 for large models); larger batches only
   * pad more and multiply the model's activations. 256 is as large as the default window, which
   * a batch never exceeds anyway.
   */
  batchSize: 256,
  /** Texts tokenized and sorted by length together. Past a few thousand, length groups pad no less. */
  window: 4096,
  /** onnxruntime intra-op threads; builds also clamp them to the machine's cores. */
  threads: 1024,
  /**
   * window × maxLength: the token rows one window can hold. 2^19 is 8× the defaults'
   * 256 × 256, so one window's float32 vectors take at most 256 MiB at dim 128 (XTR, ColBERT);
   * a build holds about three windows at once (read ahead, encoding, writing).
   */
  windowTokens: 2 ** 19,
} as const;

/**
 * Why `encoder.stride` = `stride` is refused: it must be a whole number from 0 to half of
 * `maxLength`; past that, each window would re-encode more tokens than it adds.
 */
export function strideProblem(stride: number, maxLength: number): string | undefined {
  // An invalid maxLength is reported on its own; the stride is then only checked for a whole number.
  const limit = limitProblem('maxLength', maxLength) ? Number.POSITIVE_INFINITY : Math.floor(maxLength / 2);
  if (Number.isInteger(stride) && stride >= 0 && stride <= limit) return undefined;
  if (limit === Number.POSITIVE_INFINITY)
    return `"encoder.stride" is ${stride}, but it must be an integer from 0 to half of "encoder.maxLength". Set it to a whole number, or leave it unset.`;
  return (
    `"encoder.stride" is ${stride}, but it must be an integer from 0 to ${limit} (half of "encoder.maxLength" ${maxLength}: ` +
    `past that, each window re-encodes more tokens than it adds). Set it to ${limit} or less, or leave it unset.`
  );
}

/** Why `encoder.overflow` = `overflow` is refused; `undefined` when it is one of the two modes. */
export function overflowProblem(overflow: unknown): string | undefined {
  if (overflow === 'truncate' || overflow === 'window') return undefined;
  return `"encoder.overflow" is ${JSON.stringify(overflow)}, but it must be "truncate" or "window". Set it to "window" to index every token of long chunks, "truncate" to keep only their first maxLength tokens.`;
}

export type LimitedOption = 'maxLength' | 'batchSize' | 'window' | 'threads';

const FIXES: Record<LimitedOption, string> = {
  maxLength: 'longer chunks are read in windows of it, or truncated to it with "encoder.overflow": "truncate"',
  batchSize: 'or leave it unset for the batch size measured fastest for the model',
  window: 'or leave it unset for the default',
  threads: 'or leave it unset to use every core',
};

/**
 * Why `encoder.<name>` = `value` is refused (not an integer from 1 to its limit), naming the
 * limit and the fix; `undefined` when it is fine.
 */
export function limitProblem(name: LimitedOption, value: number): string | undefined {
  const limit = LIMITS[name];
  if (Number.isInteger(value) && value >= 1 && value <= limit) return undefined;
  const fix =
    value > limit ? `Set it to ${limit} or less (${FIXES[name]})` : `Set it to a whole number from 1 to ${limit}`;
  return `"encoder.${name}" is ${value}, but it must be an integer from 1 to ${limit}. ${fix}.`;
}

/** Why a window of `window` chunks of up to `maxLength` tokens is too large; `undefined` when it fits. */
export function windowTokensProblem(window: number, maxLength: number): string | undefined {
  const tokens = window * maxLength;
  if (tokens <= LIMITS.windowTokens) return undefined;
  const fitting = Math.floor(LIMITS.windowTokens / maxLength);
  return (
    `"encoder.window" × "encoder.maxLength" is ${window} × ${maxLength} = ${tokens} tokens, more than the ` +
    `${LIMITS.windowTokens} one window may hold. Set "encoder.window" to ${fitting} or less, or lower "encoder.maxLength".`
  );
}
