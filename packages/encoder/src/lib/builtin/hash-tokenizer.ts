import type { TokenIds, Tokenizer } from '../types';
import { splitCode } from './code-pretokenizer';

export const PAD_ID = 0;
/** Marks the start of every document, so that even an empty chunk has one token. */
export const DOC_ID = 1;
const SPECIAL_IDS = 2;

/**
 * Maps code pieces to ids by hashing them into `buckets` (FNV-1a over UTF-16 code units), so no
 * vocabulary file is needed and unseen identifiers still get stable ids.
 */
export class HashTokenizer implements Tokenizer {
  readonly vocabSize: number;

  constructor(
    private readonly buckets: number,
    private readonly maxLength: number,
  ) {
    this.vocabSize = buckets + SPECIAL_IDS;
  }

  encode(text: string): TokenIds {
    // The document marker takes one of the maxLength places.
    const pieces = splitCode(text, this.maxLength - 1);
    const length = pieces.length + 1;
    const ids = new Int32Array(length);
    ids[0] = DOC_ID;
    for (let i = 1; i < length; i++) ids[i] = SPECIAL_IDS + (fnv1a(pieces[i - 1]) % this.buckets);
    return ids;
  }

  async encodeBatch(texts: readonly string[]): Promise<TokenIds[]> {
    return texts.map((text) => this.encode(text));
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
