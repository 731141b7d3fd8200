import { readFileSync } from 'node:fs';
import { Tokenizer as HfTokenizerImpl } from 'tokenizers';
import { EncoderError, type TokenIds, type Tokenizer } from '../types';
import { segmentsKeepTokens } from './cuts-keep-tokens';
import { encodeSegments } from './encode-segments';

/**
 * Characters per segment, per token of `maxLength`. Code averages 3–4 characters per token with
 * WordPiece, BPE and Unigram vocabularies, so most chunks are one segment, and a chunk of
 * megabytes is tokenized a few kilobytes at a time.
 */
const CHARS_PER_TOKEN = 8;

/**
 * A Hugging Face `tokenizer.json` through the `tokenizers` Rust bindings — the implementation
 * behind Python's fast tokenizers. Its text tokens plus `specials` cut to `maxLength` are the ids
 * of `AutoTokenizer(…)(text, truncation=True, max_length=maxLength)`: special tokens kept,
 * truncation leaving room for them, no padding.
 *
 * Long texts are tokenized in segments (`encodeSegments`) when the tokenizer allows it, so memory
 * follows their tokens, not the tokenizer's per-token bookkeeping for the whole text.
 */
export class HfTokenizer implements Tokenizer {
  private constructor(
    private readonly tokenizer: HfTokenizerImpl,
    private readonly budget: number,
    private readonly segmentsSuffice: boolean,
    readonly specials: Tokenizer['specials'],
  ) {}

  static async load(path: string, maxLength: number): Promise<HfTokenizer> {
    let text: string;
    let tokenizer: HfTokenizerImpl;
    try {
      text = readFileSync(path, 'utf8');
      tokenizer = HfTokenizerImpl.fromString(text);
    } catch (error) {
      throw new EncoderError(
        `Cannot load tokenizer ${path}: ${(error as Error).message}. "encoder.tokenizer" must be a Hugging Face tokenizer.json (save it with tokenizer.save_pretrained()).`,
      );
    }
    // Inputs are cut and padded by the encoder, whatever the file says.
    tokenizer.disableTruncation();
    tokenizer.disablePadding();
    const specials = await specialsOf(tokenizer);
    return new HfTokenizer(tokenizer, maxLength * CHARS_PER_TOKEN, segmentsKeepTokens(parseJson(text)), specials);
  }

  async encodeContent(texts: readonly string[]): Promise<TokenIds[]> {
    if (!this.segmentsSuffice) return this.encodeWhole(texts);
    return encodeSegments(texts, this.budget, (batch) => this.encodeWhole(batch));
  }

  async tokenTexts(text: string): Promise<string[]> {
    const [content] = await this.encodeContent([text]);
    const ids = [...this.specials.before, ...content, ...this.specials.after];
    return ids.map((id) => this.tokenizer.idToToken(id) ?? `[${id}]`);
  }

  private async encodeWhole(texts: readonly string[]): Promise<TokenIds[]> {
    const encodings = await this.tokenizer.encodeBatch([...texts], { addSpecialTokens: false });
    return encodings.map((encoding) => Int32Array.from(encoding.getIds()));
  }
}

/**
 * The special tokens the post-processor puts around one text (`[CLS] … [SEP]`, `<s> … </s>`,
 * `… </s>`): those of a one-token probe, told apart from its text token by the special-tokens mask.
 */
async function specialsOf(tokenizer: HfTokenizerImpl): Promise<Tokenizer['specials']> {
  const probe = await tokenizer.encode('a', null, { addSpecialTokens: true });
  const ids = probe.getIds();
  const mask = probe.getSpecialTokensMask();
  // A probe the tokenizer turns into special tokens alone counts them as leading ones.
  const before = mask.includes(0) ? mask.indexOf(0) : ids.length;
  const after = mask.includes(0) ? mask.length - 1 - mask.lastIndexOf(0) : 0;
  return { before: Int32Array.from(ids.slice(0, before)), after: Int32Array.from(ids.slice(ids.length - after)) };
}

/** The parsed file, or `undefined` where JSON.parse reads it differently from the Rust loader. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
