import { readFileSync } from 'node:fs';
import { Tokenizer as HfTokenizerImpl } from 'tokenizers';
import { EncoderError, type TokenIds, type Tokenizer } from '../types';
import { cutsKeepTokens } from './cuts-keep-tokens';
import { encodePrefixes } from './encode-prefixes';

/**
 * A Hugging Face `tokenizer.json` through the `tokenizers` Rust bindings — the implementation
 * behind Python's fast tokenizers, so ids match `AutoTokenizer(…)(text, truncation=True,
 * max_length=maxLength)`: special tokens kept, truncation leaving room for them, no padding.
 *
 * Long texts cost what `maxLength` tokens cost: when the tokenizer allows it (`cutsKeepTokens`),
 * only a prefix is tokenized, never the megabytes that truncation would throw away.
 */
export class HfTokenizer implements Tokenizer {
  private constructor(
    private readonly tokenizer: HfTokenizerImpl,
    private readonly maxLength: number,
    private readonly prefixesSuffice: boolean,
  ) {}

  static load(path: string, maxLength: number): HfTokenizer {
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
    // Right truncation (the default) keeps the first tokens: the ones a prefix holds.
    tokenizer.setTruncation(maxLength);
    tokenizer.disablePadding();
    return new HfTokenizer(tokenizer, maxLength, cutsKeepTokens(parseJson(text)));
  }

  async encodeBatch(texts: readonly string[]): Promise<TokenIds[]> {
    if (!this.prefixesSuffice) return this.encodeWhole(texts);
    return encodePrefixes(texts, this.maxLength, (batch) => this.encodeWhole(batch));
  }

  private async encodeWhole(texts: readonly string[]): Promise<TokenIds[]> {
    const encodings = await this.tokenizer.encodeBatch([...texts], { addSpecialTokens: true });
    return encodings.map((encoding) => Int32Array.from(encoding.getIds()));
  }
}

/** The parsed file, or `undefined` where JSON.parse reads it differently from the Rust loader. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
