const VISIBLE = /^[\p{L}\p{N}\p{P}\p{S}]$/u;
/** Symbols that sentencepiece's nmt normalization (T5, XTR) may turn into a space. */
const SPACE_LIKE = new Set(['\u2581', '\ufffd']);

/**
 * Whether `text` may be cut just before index `i`: a space after a letter, digit, punctuation
 * or symbol that no normalizer removes or turns into whitespace (control and format characters
 * can vanish, `´` decomposes to a space and an accent that accent-stripping removes). Then the
 * normalized prefix ends in the same non-space character as it does inside the whole text.
 */
function isCut(text: string, i: number): boolean {
  const code = i > 0 ? text.charCodeAt(i - 1) : 0;
  // ASCII whitespace and controls first: long runs of them are checked one by one.
  if (code <= 0x20) return false;
  const before = code >= 0xdc00 && code <= 0xdfff && i >= 2 ? text.slice(i - 2, i) : text[i - 1];
  return VISIBLE.test(before) && !SPACE_LIKE.has(before) && !before.normalize('NFKD').includes(' ');
}

/**
 * Where to cut `text` to keep about `budget` characters: just before a space (U+0020, which every
 * whitespace-splitting pre-tokenizer splits on, Metaspace included) that ends a word, so no word
 * and no run of whitespace is split (byte-level BPE turns a run into one pre-token). The last such
 * place within `budget`, else the first after it, else `text.length`: the whole text, as when it
 * is no longer than `budget`.
 */
export function prefixEnd(text: string, budget: number): number {
  if (text.length <= budget) return text.length;
  for (let i = text.lastIndexOf(' ', budget); i > 0; i = text.lastIndexOf(' ', i - 1)) if (isCut(text, i)) return i;
  for (let i = text.indexOf(' ', budget + 1); i > 0; i = text.indexOf(' ', i + 1)) if (isCut(text, i)) return i;
  return text.length;
}
