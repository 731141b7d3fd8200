import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from 'tokenizers';
import { maxAbsDiff, testEncoderOptions, textVectors, writeTestModel } from '../testing';
import { createEncoder } from './create-encoder';
import type { EncoderOptions, TokenizedWindow } from './types';
import { windowInputs } from './windows';

const SPECIALS = { before: Int32Array.of(100), after: Int32Array.of(101) };
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** The ids each text's rows come from, in row order, as the encoder assembles them. */
function rowIds({ tokens, rows }: TokenizedWindow): number[][] {
  const texts: number[][] = [];
  tokens.forEach((ids, i) => {
    const text = rows ? rows.text[i] : i;
    texts[text] ??= [];
    texts[text].push(...Array.from(ids.subarray(rows ? rows.from[i] : 0, rows ? rows.to[i] : ids.length)));
  });
  return texts;
}

describe('windowInputs', () => {
  // 14 text tokens; inputs of 8 hold 6 beside [100] … [101].
  const long = Int32Array.from(range(0, 14));
  const short = Int32Array.from(range(50, 53));

  it('truncate: one input per text, cut to maxLength with its special tokens, the cut tokens counted', () => {
    const window = windowInputs([long, short], SPECIALS, { maxLength: 8, overflow: 'truncate', stride: 2 });
    expect(window.tokens.map((ids) => Array.from(ids))).toEqual([
      [100, 0, 1, 2, 3, 4, 5, 101],
      [100, 50, 51, 52, 101],
    ]);
    expect(window.rows).toBeUndefined();
    expect(window.long).toEqual({ texts: 1, cutTokens: 8, extraWindows: 0 });
  });

  it('window: inputs overlapping by stride tokens; each text token one row, in order, special tokens once', () => {
    const window = windowInputs([long, short], SPECIALS, { maxLength: 8, overflow: 'window', stride: 2 });
    // Windows start every 6 − 2 = 4 text tokens: at 0, 4 and 8 (which reaches the end).
    expect(window.tokens.map((ids) => Array.from(ids))).toEqual([
      [100, 0, 1, 2, 3, 4, 5, 101],
      [100, 4, 5, 6, 7, 8, 9, 101],
      [100, 8, 9, 10, 11, 12, 13, 101],
      [100, 50, 51, 52, 101],
    ]);
    // Shared tokens split in the middle: 4 from the first window, 5 from the second, 8 from the second, 9 from the third.
    expect(Array.from(window.rows?.from ?? [])).toEqual([0, 2, 2, 0]);
    expect(Array.from(window.rows?.to ?? [])).toEqual([6, 6, 8, 5]);
    expect(rowIds(window)).toEqual([
      [100, ...range(0, 14), 101],
      [100, 50, 51, 52, 101],
    ]);
    expect(window.long).toEqual({ texts: 1, cutTokens: 0, extraWindows: 2 });
  });

  it('window: every text length and stride gives each text token exactly one row', () => {
    for (let length = 0; length <= 40; length++) {
      for (let stride = 0; stride <= 4; stride++) {
        const content = Int32Array.from(range(0, length));
        const window = windowInputs([content], SPECIALS, { maxLength: 10, overflow: 'window', stride });
        expect({ length, stride, ids: rowIds(window)[0] }).toEqual({
          length,
          stride,
          ids: [100, ...range(0, length), 101],
        });
        expect(window.tokens.every((ids) => ids.length <= 10)).toBe(true);
      }
    }
  });
});

describe('an encoder reading long texts in windows', () => {
  const folder = mkdtempSync(join(tmpdir(), 'xtr-windows-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const source = readFileSync(join(__dirname, 'batched-encoder.ts'), 'utf8');
  // A unique identifier at the very end of a text of hundreds of tokens.
  const long = `${source}\nconst zebraQuokkaTail = 1;`;

  async function encodeOne(options: EncoderOptions, text: string) {
    const encoder = await createEncoder(testEncoderOptions(options));
    try {
      const batch = await encoder.encode([text]);
      return { rows: batch.lengths[0], vectors: textVectors(batch, encoder.dim as number, 0) as Float32Array };
    } finally {
      await encoder.close();
    }
  }

  it('builtin:hash: every row equals the row of the text read whole, the tail identifier included', async () => {
    // Its vectors see one neighbour on each side: a stride of 2 leaves every kept token both.
    const windowed = await encodeOne({ model: 'builtin:hash', maxLength: 32, overflow: 'window', stride: 2 }, long);
    const whole = await encodeOne({ model: 'builtin:hash', maxLength: 8192 }, long);
    expect(whole.rows).toBeGreaterThan(1000);
    expect(windowed.rows).toBe(whole.rows);
    expect(maxAbsDiff(windowed.vectors, whole.vectors)).toBeLessThan(1e-6);
  });

  it('a transformer: rows for [CLS], every token of the text and [SEP], counted by the tokenizer library', async () => {
    const model = writeTestModel(folder, { trainingFiles: [join(__dirname, 'batched-encoder.ts')] });
    const reference = Tokenizer.fromFile(model.tokenizer);
    const all = (await reference.encode(long, null, { addSpecialTokens: true })).getIds();
    const options = { ...model, maxLength: 64, overflow: 'window', stride: 16 } as const;
    const windowed = await encodeOne(options, long);
    expect(all.length).toBeGreaterThan(500);
    expect(windowed.rows).toBe(all.length);
    // The tail: the last window, 62 text tokens from where the windows' starts (every 62 − 16 = 46) reach the end.
    const text = all.slice(1, -1);
    const lastStart = Math.ceil((text.length - 62) / 46) * 46;
    const lastWindow = Int32Array.from([all[0], ...text.slice(lastStart), all[all.length - 1]]);
    const encoder = await createEncoder(testEncoderOptions(options));
    try {
      const alone = await encoder.encodeTokenized({ tokens: [lastWindow] });
      const dim = encoder.dim as number;
      // Its rows past the 8 shared tokens the previous window keeps: the text's last rows.
      const tail = (alone.vectors as Float32Array).subarray((1 + 8) * dim);
      expect(Array.from(windowed.vectors.subarray(windowed.vectors.length - tail.length))).toEqual(Array.from(tail));
    } finally {
      await encoder.close();
    }
  });
});
