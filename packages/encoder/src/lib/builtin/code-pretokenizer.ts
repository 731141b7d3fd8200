/**
 * Code-aware pre-tokenizer: identifiers become their lower-cased word pieces (camelCase,
 * PascalCase, snake_case, kebab-less acronyms, digit runs), every other non-space character is
 * a token of its own. `parseHTTPResponse_v2` → parse, http, response, _, v, 2.
 */
const WORD_OR_SYMBOL = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;
const WORD_PIECE = /\p{Lu}+(?![\p{Ll}])|\p{Lu}?\p{Ll}+|\p{N}+|[\p{L}\p{N}]/gu;

export function splitCode(text: string): string[] {
  const pieces: string[] = [];
  for (const [token] of text.matchAll(WORD_OR_SYMBOL)) {
    if (token.length === 1) {
      pieces.push(token.toLowerCase());
      continue;
    }
    for (const [piece] of token.matchAll(WORD_PIECE)) pieces.push(piece.toLowerCase());
  }
  return pieces;
}
