import { EncoderError, type Overflow, type TokenIds, type TokenizedWindow, type Tokenizer } from './types';

export interface WindowOptions {
  readonly maxLength: number;
  readonly overflow: Overflow;
  readonly stride: number;
}

type Specials = Tokenizer['specials'];

/** Text tokens one model input holds beside its special tokens. */
const roomFor = (maxLength: number, specials: Specials) => maxLength - specials.before.length - specials.after.length;

/**
 * Refuses windows that cannot advance through a text: each must hold at least one text token
 * beyond the `stride` it repeats, beside the model's special tokens.
 */
export function checkWindows({ maxLength, overflow, stride }: WindowOptions, specials: Specials): void {
  const room = roomFor(maxLength, specials);
  if (overflow !== 'window' || room - stride >= 1) return;
  throw new EncoderError(
    `"encoder.stride" is ${stride}, but windows of "encoder.maxLength" ${maxLength} tokens hold ${Math.max(room, 0)} text ` +
      `tokens beside the model's ${maxLength - room} special ones, so they would never advance. ` +
      `Set "encoder.stride" below ${Math.max(room, 1)} or raise "encoder.maxLength".`,
  );
}

/**
 * Which of a text's tokens (special tokens before, text tokens, special tokens after) have rows,
 * by `windowInputs`' rule: all of them with `window`, the first inputs' worth with `truncate`.
 */
export function tokensWithRows<T>(
  tokens: readonly T[],
  specials: Specials,
  { maxLength, overflow }: WindowOptions,
): T[] {
  const room = Math.max(roomFor(maxLength, specials), 0);
  const textTokens = tokens.length - specials.before.length - specials.after.length;
  if (overflow === 'window' || textTokens <= room) return [...tokens];
  return [...tokens.slice(0, specials.before.length + room), ...tokens.slice(tokens.length - specials.after.length)];
}

function modelInput(specials: Specials, content: TokenIds): TokenIds {
  const ids = new Int32Array(specials.before.length + content.length + specials.after.length);
  ids.set(specials.before);
  ids.set(content, specials.before.length);
  ids.set(specials.after, specials.before.length + content.length);
  return ids;
}

/**
 * The model inputs for texts given as their text tokens (`contents`): with `truncate`, one per
 * text, cut to `maxLength` with the special tokens (exactly what Hugging Face truncation gives);
 * with `window`, a text longer than that gets consecutive windows of the same form. Window k holds
 * text tokens from k × (room − stride) on, where room is what one input holds beside its special
 * tokens: consecutive windows share `stride` tokens, as Hugging Face's overflowing tokens do.
 *
 * Which rows a text keeps from its windows: the special tokens before the text from the first
 * window and those after it from the last, and every text token exactly once, in text order. The
 * tokens two windows share are split in the middle: the first ⌈stride/2⌉ come from the earlier
 * window, the rest from the later one. A token's vector depends on its context, and a token near
 * a window's edge has context on one side only; split this way, every token keeps at least
 * ⌊stride/2⌋ tokens of context on both sides (the text's own ends aside), where keeping only each
 * window's new tokens would leave the last tokens of every window with none to their right.
 * Special tokens are kept once: a text read in one piece has one [CLS] and one [SEP], and their
 * repeats would be near-duplicate rows that only grow the index. A text that fits one input gets
 * the same input and rows in both modes.
 */
export function windowInputs(
  contents: readonly TokenIds[],
  specials: Specials,
  { maxLength, overflow, stride }: WindowOptions,
): TokenizedWindow {
  const room = Math.max(roomFor(maxLength, specials), 0);
  const long = { texts: 0, cutTokens: 0, extraWindows: 0 };
  if (overflow === 'truncate') {
    const tokens = contents.map((content) => {
      if (content.length > room) {
        long.texts++;
        long.cutTokens += content.length - room;
      }
      return modelInput(specials, content.subarray(0, room));
    });
    return { tokens, long };
  }
  const step = room - stride;
  // Overlap tokens the earlier window keeps.
  const earlier = Math.ceil(stride / 2);
  const tokens: TokenIds[] = [];
  const text: number[] = [];
  const from: number[] = [];
  const to: number[] = [];
  contents.forEach((content, t) => {
    const count = content.length <= room ? 1 : 1 + Math.ceil((content.length - room) / step);
    if (count > 1) {
      long.texts++;
      long.extraWindows += count - 1;
    }
    for (let k = 0; k < count; k++) {
      const start = k * step;
      const input = modelInput(specials, content.subarray(start, Math.min(start + room, content.length)));
      tokens.push(input);
      text.push(t);
      from.push(k === 0 ? 0 : specials.before.length + earlier);
      to.push(k === count - 1 ? input.length : specials.before.length + step + earlier);
    }
  });
  const rows = { text: Int32Array.from(text), from: Int32Array.from(from), to: Int32Array.from(to) };
  return { tokens, rows, long };
}
