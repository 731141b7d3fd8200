import { InferenceSession, Tensor } from 'onnxruntime-node';
import { EncoderError, type InputNames, type TokenIds } from '../types';
import { HF_INPUT_NAMES, LAST_HIDDEN_STATE } from './hf-names';
import { widenToInt64 } from './widen-int64';

export interface OnnxTokenModelOptions {
  /** Where the model came from, for error messages. */
  readonly source: string;
  /** Names that differ from `HF_INPUT_NAMES`. */
  readonly inputs?: InputNames;
  /** The per-token states, when not `LAST_HIDDEN_STATE`. */
  readonly output?: string;
  readonly threads: number;
}

/** Model states of a batch, padded: text `i`'s real tokens are rows `i × tokensPerText` onwards. */
export interface TokenStates {
  readonly width: number;
  readonly tokensPerText: number;
  /** `[batch × tokensPerText, width]`, row-major; rows past a text's length are padding. */
  readonly padded: Float32Array;
}

interface ResolvedInputs {
  readonly inputIds: string;
  readonly attentionMask: string;
  readonly tokenTypeIds: string | undefined;
  readonly integerType: 'int64' | 'int32';
}

/** One onnxruntime session for a token encoder: pads a batch to its longest member and runs it. */
export class OnnxTokenModel {
  private constructor(
    private readonly session: InferenceSession,
    private readonly inputs: ResolvedInputs,
    private readonly output: string,
    private readonly source: string,
  ) {}

  static async load(model: string | Uint8Array, options: OnnxTokenModelOptions): Promise<OnnxTokenModel> {
    const sessionOptions: InferenceSession.SessionOptions = {
      intraOpNumThreads: options.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      // Spin inside a run (ops hand over fast) but park the pool when it ends: otherwise its
      // threads spin on the cores the tokenizer and the writer need between runs. On 2 cores that
      // makes builds of small models and builtin:hash faster and leaves xtr-base-sized ones as fast.
      extra: { session: { force_spinning_stop: '1' } },
    };
    let session: InferenceSession;
    try {
      session =
        typeof model === 'string'
          ? await InferenceSession.create(model, sessionOptions)
          : await InferenceSession.create(model, sessionOptions);
    } catch (error) {
      throw new EncoderError(
        `Cannot load ONNX model ${options.source}: ${(error as Error).message.trim()}. "encoder.model" must be an .onnx file (export it with optimum or torch.onnx.export).`,
      );
    }
    const output = options.output ?? LAST_HIDDEN_STATE;
    if (!session.outputNames.includes(output)) {
      await session.release();
      throw new EncoderError(
        `ONNX model ${options.source} has no output "${output}"; it has: ${session.outputNames.join(', ')}. Set "encoder.output" to the per-token states.`,
      );
    }
    return new OnnxTokenModel(session, await resolveInputs(session, options), output, options.source);
  }

  async run(batch: readonly TokenIds[]): Promise<TokenStates> {
    const maxTokens = batch.reduce((max, ids) => Math.max(max, ids.length), 0);
    // Ids and mask are filled as int32, then widened once for int64 models.
    const ids = new Int32Array(batch.length * maxTokens);
    const mask = new Int32Array(batch.length * maxTokens);
    batch.forEach((tokens, row) => {
      ids.set(tokens, row * maxTokens);
      mask.fill(1, row * maxTokens, row * maxTokens + tokens.length);
    });
    const type = this.inputs.integerType;
    const data = (values: Int32Array) => (type === 'int64' ? widenToInt64(values) : values);
    const shape = [batch.length, maxTokens];
    const feeds: Record<string, Tensor> = {
      [this.inputs.inputIds]: new Tensor(type, data(ids), shape),
      [this.inputs.attentionMask]: new Tensor(type, data(mask), shape),
    };
    if (this.inputs.tokenTypeIds)
      feeds[this.inputs.tokenTypeIds] = new Tensor(type, data(new Int32Array(ids.length)), shape);

    let output: Tensor;
    try {
      output = (await this.session.run(feeds, [this.output]))[this.output];
    } catch (error) {
      const reason = (error as Error).message.trim().replace(/\.$/, '');
      // Models whose positions cannot be read up front fail here when chunks are too long.
      throw new EncoderError(
        `ONNX model ${this.source} failed on a batch of ${batch.length} chunks of up to ${maxTokens} tokens: ${reason}. ` +
          `If the model takes fewer than ${maxTokens} tokens (BERT-like models take 512), ` +
          `set "encoder.maxLength" to its maximum.`,
      );
    }
    const [batchDim, tokenDim, width] = output.dims;
    if (output.dims.length !== 3 || batchDim !== batch.length || tokenDim !== maxTokens || output.type !== 'float32') {
      throw new EncoderError(
        `ONNX model ${this.source}: output "${this.output}" is ${output.type} [${output.dims.join(', ')}], expected float32 [batch=${batch.length}, tokens=${maxTokens}, width]. Point "encoder.output" at the per-token states.`,
      );
    }
    return { width, tokensPerText: maxTokens, padded: output.data as Float32Array };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

async function resolveInputs(session: InferenceSession, options: OnnxTokenModelOptions): Promise<ResolvedInputs> {
  const names = session.inputNames;
  const wanted = options.inputs ?? {};
  const inputIds = wanted.inputIds ?? HF_INPUT_NAMES.inputIds;
  const attentionMask = wanted.attentionMask ?? HF_INPUT_NAMES.attentionMask;
  const hfTokenTypes = names.includes(HF_INPUT_NAMES.tokenTypeIds) ? HF_INPUT_NAMES.tokenTypeIds : undefined;
  const tokenTypeIds = wanted.tokenTypeIds === null ? undefined : (wanted.tokenTypeIds ?? hfTokenTypes);
  const fed = [inputIds, attentionMask, ...(tokenTypeIds ? [tokenTypeIds] : [])];
  const missing = fed.filter((name) => !names.includes(name));
  const unfed = names.filter((name) => !fed.includes(name));
  if (missing.length > 0 || unfed.length > 0) {
    await session.release();
    const problems = [
      ...(missing.length ? [`has no input ${missing.map((n) => `"${n}"`).join(', ')}`] : []),
      ...(unfed.length
        ? [`needs input ${unfed.map((n) => `"${n}"`).join(', ')} that xtr does not know how to fill`]
        : []),
    ];
    throw new EncoderError(
      `ONNX model ${options.source} ${problems.join(' and ')}; its inputs are: ${names.join(', ')}. Map them in "encoder.inputs" (inputIds, attentionMask, tokenTypeIds).`,
    );
  }
  const metadata = session.inputMetadata.find((m) => m.name === inputIds);
  const integerType = metadata?.isTensor && metadata.type === 'int32' ? 'int32' : 'int64';
  return { inputIds, attentionMask, tokenTypeIds, integerType };
}
