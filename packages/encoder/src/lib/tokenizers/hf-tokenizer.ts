import { Tokenizer as HfTokenizerImpl } from 'tokenizers';
import { EncoderError, type TokenIds, type Tokenizer } from '../types';

/**
 * A Hugging Face `tokenizer.json` through the `tokenizers` Rust bindings — the implementation
 * behind Python's fast tokenizers, so ids match `AutoTokenizer(…)(text, truncation=True,
 * max_length=maxLength)`: special tokens kept, truncation leaving room for them, no padding.
 */
export class HfTokenizer implements Tokenizer {
  private constructor(private readonly tokenizer: HfTokenizerImpl) {}

  static load(path: string, maxLength: number): HfTokenizer {
    let tokenizer: HfTokenizerImpl;
    try {
      tokenizer = HfTokenizerImpl.fromFile(path);
    } catch (error) {
      throw new EncoderError(
        `Cannot load tokenizer ${path}: ${(error as Error).message}. "encoder.tokenizer" must be a Hugging Face tokenizer.json (save it with tokenizer.save_pretrained()).`,
      );
    }
    tokenizer.setTruncation(maxLength);
    tokenizer.disablePadding();
    return new HfTokenizer(tokenizer);
  }

  async encodeBatch(texts: readonly string[]): Promise<TokenIds[]> {
    const encodings = await this.tokenizer.encodeBatch([...texts], { addSpecialTokens: true });
    return encodings.map((encoding) => Int32Array.from(encoding.getIds()));
  }
}
