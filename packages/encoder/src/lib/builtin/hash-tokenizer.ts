import type { TokenIds, Tokenizer } from '../types';
import { splitCode } from './code-pretokenizer';

export const PAD_ID = 0;
/** Marks the start of every document, so that even an empty chunk has one token. */
export const DOC_ID = 1;
const SPECIAL_IDS = 2;
/** How explanations show the document marker. */
const DOC_TEXT = '[DOC]';

/**
 * Maps code pieces to ids by hashing them into `buckets` (FNV-1a over UTF-16 code units), so no
 * vocabulary file is needed and unseen identifiers still get stable ids.
 */
export class HashTokenizer implements Tokenizer {
  readonly vocabSize: number;
  /** Every model input starts with the document marker. */
  readonly specials = { before: Int32Array.of(DOC_ID), after: new Int32Array(0) };

  constructor(private readonly buckets: number) {
    this.vocabSize = buckets + SPECIAL_IDS;
  }

  async tokenTexts(text: string): Promise<string[]> {
    return [DOC_TEXT, ...splitCode(text)];
  }

  async encodeContent(texts: readonly string[]): Promise<TokenIds[]> {
    return texts.map((text) =>
      Int32Array.from(splitCode(text), (piece) => SPECIAL_IDS + (fnv1a(piece) % this.buckets)),
    );
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
