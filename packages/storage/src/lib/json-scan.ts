/**
 * Finds the elements of one array in JSON text, as source spans: `JSON.parse` turns 64-bit
 * integers into float64 and loses them above 2^53, so exact values have to be read from the text.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Character classes by char code, as bit flags: a table lookup, since metas run to hundreds of MB. */
const SPACE = 1;
const OPEN = 2;
const CLOSE = 4;
const VALUE_END = 8;
const CLASS = new Uint8Array(128);
for (const c of ' \t\n\r') CLASS[c.charCodeAt(0)] = SPACE | VALUE_END;
for (const c of '[{') CLASS[c.charCodeAt(0)] = OPEN;
for (const c of ']}') CLASS[c.charCodeAt(0)] = CLOSE | VALUE_END;
CLASS[0x2c] = VALUE_END; // ,

const is = (text: string, at: number, flag: number) => (CLASS[text.charCodeAt(at)] & flag) !== 0;

function skipWhitespace(text: string, at: number): number {
  while (at < text.length && is(text, at, SPACE)) at++;
  return at;
}

/** Index just past the string literal that opens at `at`. */
function skipString(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  return text.length;
}

/** Index just past the value (string, number, literal, array or object) that starts at `at`. */
function skipValue(text: string, at: number): number {
  if (text.charCodeAt(at) === QUOTE) return skipString(text, at);
  if (!is(text, at, OPEN)) {
    let i = at;
    while (i < text.length && !is(text, i, VALUE_END)) i++;
    return i;
  }
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    if (text.charCodeAt(i) === QUOTE) i = skipString(text, i) - 1;
    else if (is(text, i, OPEN)) depth++;
    else if (is(text, i, CLOSE) && --depth === 0) return i + 1;
  }
  return text.length;
}

/**
 * Calls `visit(start, end)` for each element of the array stored under `key` in the top-level
 * object of `text`, which must be valid JSON (parse it first). Returns false when there is no
 * such array. As with `JSON.parse`, the last of duplicate keys wins.
 */
export function forEachArrayElement(text: string, key: string, visit: (start: number, end: number) => void): boolean {
  let at = skipWhitespace(text, 0);
  if (text.charCodeAt(at) !== 0x7b) return false;
  let array = -1;
  at = skipWhitespace(text, at + 1);
  while (text.charCodeAt(at) === QUOTE) {
    const keyEnd = skipString(text, at);
    // Keys may hold escapes ("chunk\u005fids"); JSON.parse decodes the literal as the parser would.
    const name = JSON.parse(text.slice(at, keyEnd)) as string;
    at = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1); // past the colon
    if (name === key) array = text.charCodeAt(at) === 0x5b ? at : -1;
    at = skipWhitespace(text, skipValue(text, at));
    if (text.charCodeAt(at) === 0x2c) at = skipWhitespace(text, at + 1);
  }
  if (array < 0) return false;
  at = skipWhitespace(text, array + 1);
  while (at < text.length && text.charCodeAt(at) !== 0x5d) {
    const end = skipValue(text, at);
    if (end <= at) break; // not valid JSON after all: stop rather than spin
    visit(at, end);
    at = skipWhitespace(text, end);
    if (text.charCodeAt(at) === 0x2c) at = skipWhitespace(text, at + 1);
  }
  return true;
}
