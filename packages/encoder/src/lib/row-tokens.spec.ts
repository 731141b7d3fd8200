import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from 'tokenizers';
import { testEncoderOptions, writeTestModel } from '../testing';
import { createEncoder } from './create-encoder';
import type { EncoderOptions } from './types';

async function rowsAndTokens(options: EncoderOptions, text: string) {
  const encoder = await createEncoder(testEncoderOptions(options));
  try {
    return { rows: (await encoder.encode([text])).lengths[0], tokens: await encoder.rowTokens(text) };
  } finally {
    await encoder.close();
  }
}

describe('rowTokens', () => {
  it('builtin:hash: the document marker, then the code pieces', async () => {
    const { rows, tokens } = await rowsAndTokens({ model: 'builtin:hash' }, 'parseHTTPResponse_v2 = 1');
    expect(tokens).toEqual(['[DOC]', 'parse', 'http', 'response', '_', 'v', '2', '=', '1']);
    expect(rows).toBe(tokens.length);
  });

  it('builtin:hash: truncate keeps the first maxLength, window every piece', async () => {
    const text = 'alpha beta gamma delta epsilon';
    const cut = await rowsAndTokens({ model: 'builtin:hash', maxLength: 3, overflow: 'truncate' }, text);
    expect(cut.tokens).toEqual(['[DOC]', 'alpha', 'beta']);
    expect(cut.rows).toBe(3);
    const windowed = await rowsAndTokens({ model: 'builtin:hash', maxLength: 3, overflow: 'window', stride: 0 }, text);
    expect(windowed.tokens).toEqual(['[DOC]', 'alpha', 'beta', 'gamma', 'delta', 'epsilon']);
    expect(windowed.rows).toBe(6);
  });

  describe('a Hugging Face tokenizer', () => {
    let dir: string;
    let model: { model: string; tokenizer: string };
    const text = 'export function parseConfig(path) { return readFile(path); } '.repeat(12);
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'xtr-row-tokens-'));
      const training = join(dir, 'training.txt');
      writeFileSync(training, text.repeat(20));
      model = writeTestModel(dir, { trainingFiles: [training] });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each(['truncate', 'window'] as const)(
      '%s: one token per row, as the tokenizers library spells them',
      async (overflow) => {
        const maxLength = 32;
        const { rows, tokens } = await rowsAndTokens({ ...model, maxLength, overflow, stride: 4 }, text);
        const spelled = (await Tokenizer.fromFile(model.tokenizer).encode(text)).getTokens();
        expect(spelled.length).toBeGreaterThan(maxLength);
        const expected =
          overflow === 'window' ? spelled : [...spelled.slice(0, maxLength - 1), spelled[spelled.length - 1]];
        expect(tokens).toEqual(expected);
        expect(rows).toBe(tokens.length);
      },
    );
  });
});
