import type { TokenIds } from '../types';
import { prefixEnd } from './prefix-end';

/** Segments per tokenizer call: enough to keep its threads busy, few enough to bound its memory. */
const SEGMENTS_PER_CALL = 256;

/**
 * Every token of each text, tokenizing it in segments of about `budget` characters, each cut just
 * before a space that ends a word (`prefixEnd`), and concatenating their tokens. Equal to
 * tokenizing the whole text when the tokenizer never lets a token, or what its normalizer does at
 * the start of a text, reach across such a cut (see `segmentsKeepTokens`). A megabyte-sized chunk
 * then costs the tokenizer's memory for a few segments at a time, not for the whole text.
 */
export async function encodeSegments(
  texts: readonly string[],
  budget: number,
  encodeBatch: (texts: string[]) => Promise<TokenIds[]>,
): Promise<TokenIds[]> {
  const segments: string[] = [];
  const owners: number[] = [];
  texts.forEach((text, owner) => {
    let start = 0;
    do {
      const end = start + prefixEnd(text.slice(start), budget);
      segments.push(text.slice(start, end));
      owners.push(owner);
      start = end;
    } while (start < text.length);
  });
  const parts: TokenIds[][] = texts.map(() => []);
  for (let first = 0; first < segments.length; first += SEGMENTS_PER_CALL) {
    const encoded = await encodeBatch(segments.slice(first, first + SEGMENTS_PER_CALL));
    encoded.forEach((ids, k) => parts[owners[first + k]].push(ids));
  }
  return parts.map((ids) => (ids.length === 1 ? ids[0] : concat(ids)));
}

function concat(parts: readonly TokenIds[]): TokenIds {
  const ids = new Int32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    ids.set(part, at);
    at += part.length;
  }
  return ids;
}
