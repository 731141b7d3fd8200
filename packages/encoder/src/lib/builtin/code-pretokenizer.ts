/**
 * Code-aware pre-tokenizer: identifiers become their lower-cased word pieces (camelCase,
 * PascalCase, snake_case, acronyms, digit runs), every other non-space character (emoji
 * included) is a token of its own. `parseHTTPResponse_v2` → parse, http, response, _, v, 2.
 *
 * One pass: an upper-case run's look-ahead only sees the next character, which ends a word the
 * same way whether the word is scanned alone or inside the text.
 */
const PIECE = /\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+|[\p{L}\p{N}]|[^\s\p{L}\p{N}]/gu;

/**
 * The first `limit` pieces of `text` (all of them by default). Chunks are truncated to the
 * model's length anyway, so stopping early skips the text that would be thrown away.
 */
export function splitCode(text: string, limit = Number.POSITIVE_INFINITY): string[] {
  const pieces: string[] = [];
  // PIECE is shared: its scan position must start at 0 for every text.
  PIECE.lastIndex = 0;
  for (let match = PIECE.exec(text); match && pieces.length < limit; match = PIECE.exec(text))
    pieces.push(match[0].toLowerCase());
  return pieces;
}
