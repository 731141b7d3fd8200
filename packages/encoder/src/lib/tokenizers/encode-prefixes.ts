import type { TokenIds } from '../types';
import { prefixEnd } from './prefix-end';

/**
 * Characters tokenized per token kept, at first. Code averages 3–4 characters per token with
 * WordPiece, BPE and Unigram vocabularies; twice that lets nearly every chunk finish in one
 * round, while a chunk of megabytes costs a few kilobytes of tokenizing.
 */
const CHARS_PER_TOKEN = 8;

/**
 * The ids `encodeBatch` gives each whole text truncated to `maxLength`, tokenizing only a prefix
 * of long texts: cut before a space at about `maxLength × CHARS_PER_TOKEN` characters, and again
 * at twice that, … until the prefix fills `maxLength` tokens or is the whole text.
 *
 * Equal to encoding the whole text when the tokenizer never lets a pre-token span a space that
 * follows a non-space (see `cutsKeepTokens`): the prefix's tokens are then the first tokens of
 * the whole text, so once they reach `maxLength`, truncation keeps the same ones.
 */
export async function encodePrefixes(
  texts: readonly string[],
  maxLength: number,
  encodeBatch: (texts: string[]) => Promise<TokenIds[]>,
): Promise<TokenIds[]> {
  const ids: TokenIds[] = new Array(texts.length);
  let pending = texts.map((_, i) => i);
  for (let budget = maxLength * CHARS_PER_TOKEN; pending.length > 0; budget *= 2) {
    const ends = pending.map((i) => prefixEnd(texts[i], budget));
    const encoded = await encodeBatch(pending.map((i, k) => texts[i].slice(0, ends[k])));
    pending = pending.filter((i, k) => {
      ids[i] = encoded[k];
      return ends[k] < texts[i].length && encoded[k].length < maxLength;
    });
  }
  return ids;
}
