import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from 'tokenizers';
import { trainTokenizer, writeTinyWordPiece } from '../../testing';
import { mulberry32 } from '../builtin/seeded-uniform';
import { windowInputs } from '../windows';
import { HfTokenizer } from './hf-tokenizer';

/** The model inputs an encoder truncating to `maxLength` makes of `texts`. */
async function truncated(path: string, maxLength: number, texts: readonly string[]): Promise<Int32Array[]> {
  const tokenizer = await HfTokenizer.load(path, maxLength);
  const contents = await tokenizer.encodeContent(texts);
  return windowInputs(contents, tokenizer.specials, { maxLength, overflow: 'truncate', stride: 0 })
    .tokens as Int32Array[];
}

/** Sources of this package: real code to tokenize and to train the tokenizers on. */
const TRAINING_FILES = [
  join(__dirname, '../batched-encoder.ts'),
  join(__dirname, '../onnx/onnx-token-model.ts'),
  join(__dirname, '../../testing/transformer-model.ts'),
];
const CODE = TRAINING_FILES.map((file) => readFileSync(file, 'utf8')).join('\n');

/** A seeded stream of integers in [0, n). */
function seededInts(seed: number): (n: number) => number {
  const next = mulberry32(seed);
  return (n) => next() % n;
}

/** Pieces that stress a cut: whitespace of every kind, characters normalizers remove, expand or turn into spaces. */
const PIECES = [
  'const',
  'getUserById',
  'x',
  '=',
  '(',
  ')',
  '{',
  '};',
  '123',
  '_v2',
  ' ',
  ' ',
  ' ',
  '  ',
  '    ',
  '\t',
  '\n',
  ' \n ',
  '\r\n',
  '\u00a0',
  '\u3000',
  '\u2009',
  'é',
  'e\u0301',
  '\u0301',
  '´',
  '¨',
  'İ',
  'ß',
  'ﬁ',
  '中文',
  '日本語',
  'Ελληνικά',
  '😀',
  '👨‍👩‍👧',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u0001',
  '\u0000',
  '▁',
  '\ufffd',
  '…',
  '①',
  '\\',
  '"',
  "'s",
];

function randomTexts(count: number, seed: number): string[] {
  const next = seededInts(seed);
  return Array.from({ length: count }, () => {
    const pieces = Array.from({ length: next(3000) }, () => PIECES[next(PIECES.length)]);
    return pieces.join('');
  });
}

/**
 * Few tokens per character: a prefix barely reaches maxLength, so the tokens next to the cut are
 * the ones kept. Words end in characters that normalizers remove or turn into spaces.
 */
function sparseTexts(count: number, seed: number): string[] {
  const next = seededInts(seed);
  const words = ['x', 'getUser', '中文', '😀', 'é', '42', '{'];
  const endings = ['', '', '\u0001', '\u200b', '´', '▁', '\ufffd', '\u00a0', '\u0301', '\t'];
  const runs = [' ', ' ', '\n', '\t', ' \n', ' \u0001', ' \u200b'];
  return Array.from({ length: count }, () => {
    const pieces = Array.from({ length: next(300) }, () => {
      const run = Array.from({ length: 1 + next(40) }, () => runs[next(runs.length)]).join('');
      return words[next(words.length)] + endings[next(endings.length)] + run;
    });
    return pieces.join('');
  });
}

const UNICODE = 'Ünïcödé café naïve 日本語のテキスト Ελληνικά 😀 👨‍👩‍👧 e\u0301 ´ ¨ a\u00a0b c\u3000d ▁ \ufffd \u200b ';

const TEXTS = [
  '',
  'x',
  'def parse_http_response(raw):',
  CODE,
  CODE.replace(/ /g, '  '),
  CODE.replace(/\n/g, ' \n\t '),
  ' '.repeat(30_000),
  '\n'.repeat(10_000) + CODE,
  ' '.repeat(50_000) + CODE.slice(0, 2_000),
  'x'.repeat(60_000),
  CODE.replace(/\s/g, ''),
  '日本語のテキスト'.repeat(5_000),
  UNICODE.repeat(400),
  '\u0001 '.repeat(20_000) + CODE,
  '´ '.repeat(20_000) + CODE,
  CODE.replace(/ /g, '\u00a0'),
  ...randomTexts(60, 7),
  ...sparseTexts(60, 11),
];

type Kind = 'wordpiece' | 'unigram' | 'bpe' | 't5-normalizer' | 'bpe-strip-accents' | 'no-pre-tokenizer';

describe('HfTokenizer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xtr-hf-tokenizer-'));
  const paths = {} as Record<Kind, string>;
  beforeAll(() => {
    for (const kind of ['wordpiece', 'unigram', 'bpe'] as const) {
      paths[kind] = join(dir, `${kind}.json`);
      trainTokenizer(kind, TRAINING_FILES, paths[kind]);
    }
    const variant = (kind: Kind, from: Kind, change: (json: Record<string, unknown>) => void) => {
      const json = JSON.parse(readFileSync(paths[from], 'utf8'));
      change(json);
      paths[kind] = join(dir, `${kind}.json`);
      writeFileSync(paths[kind], JSON.stringify(json));
    };
    // Like T5's and XTR's: sentencepiece's nmt rules (controls removed; ▁, �, zero-width
    // characters turned into spaces), NFKC, and runs of spaces collapsed.
    variant('t5-normalizer', 'unigram', (json) => {
      const collapse = { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' };
      json.normalizer = { type: 'Sequence', normalizers: [{ type: 'Nmt' }, { type: 'NFKC' }, collapse] };
    });
    // Whitespace kept as tokens after accents are stripped: ´ becomes a space.
    variant('bpe-strip-accents', 'bpe', (json) => {
      json.normalizer = { type: 'Sequence', normalizers: [{ type: 'NFKD' }, { type: 'StripAccents' }] };
    });
    // Unigram over the whole text: pieces may span spaces, so only the whole text is safe.
    variant('no-pre-tokenizer', 'unigram', (json) => {
      json.pre_tokenizer = null;
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('the ids of a hand-written WordPiece tokenizer, counted by hand', () => {
    const tiny = join(dir, 'tiny.json');
    beforeAll(() => writeTinyWordPiece(tiny));

    it('lower-cases, splits at spaces and punctuation, and adds [CLS] 2 … [SEP] 3', async () => {
      const ids = await truncated(tiny, 512, ['', 'getUserById(id)', 'RETURN  Users;', 'find getter']);
      expect(ids.map((one) => Array.from(one))).toEqual([
        [2, 3],
        // get ##user ##by ##id ( id )
        [2, 4, 6, 7, 8, 12, 9, 13, 3],
        // return user ##s ;
        [2, 10, 5, 11, 15, 3],
        // find, then [UNK] 1 for the whole of "getter": "get" matches, but no "##ter" follows.
        [2, 18, 1, 3],
      ]);
    });

    it('truncates to maxLength tokens with [CLS] and [SEP] counted, as AutoTokenizer(truncation=True) does', async () => {
      const line = 'return users.get(id); ';
      const ids = await truncated(tiny, 8, [line, line.repeat(10_000)]);
      // return user ##s . get ( — then [SEP], in place of id ) ; and everything after them.
      expect(ids.map((one) => Array.from(one))).toEqual([
        [2, 10, 5, 11, 14, 4, 12, 3],
        [2, 10, 5, 11, 14, 4, 12, 3],
      ]);
    });
  });

  const KINDS: Kind[] = ['wordpiece', 'unigram', 'bpe', 't5-normalizer', 'bpe-strip-accents', 'no-pre-tokenizer'];
  const cases = KINDS.flatMap((kind) => [4, 64, 512].map((maxLength) => [kind, maxLength] as const));

  it.each(cases)('%s, maxLength %d: the ids the library gives each whole text, truncated', async (kind, maxLength) => {
    const ours = await truncated(paths[kind], maxLength, TEXTS);
    const reference = Tokenizer.fromFile(paths[kind]);
    reference.setTruncation(maxLength);
    for (const [i, text] of TEXTS.entries()) {
      const expected = (await reference.encode(text)).getIds();
      if (Array.from(ours[i]).join() !== expected.join()) {
        // Named, so a failure shows which text differs rather than two long arrays.
        expect({ text: i, ids: Array.from(ours[i]) }).toEqual({ text: i, ids: expected });
      }
    }
    // The reference truncates too: at least the code text must have been cut by it.
    expect(ours[TEXTS.indexOf(CODE)]).toHaveLength(maxLength);
  });

  it.each(KINDS)(
    '%s: every text token of each whole text, uncut and in order, as the library gives them',
    async (kind) => {
      const ours = await (await HfTokenizer.load(paths[kind], 64)).encodeContent(TEXTS);
      const reference = Tokenizer.fromFile(paths[kind]);
      for (const [i, text] of TEXTS.entries()) {
        const expected = (await reference.encode(text, null, { addSpecialTokens: false })).getIds();
        if (Array.from(ours[i]).join() !== expected.join()) {
          expect({ text: i, ids: Array.from(ours[i]) }).toEqual({ text: i, ids: expected });
        }
      }
      // Long enough to have been tokenized in segments.
      expect(ours[TEXTS.indexOf(CODE)].length).toBeGreaterThan(1_000);
    },
  );

  it('finds the special tokens each post-processor puts before and after a text', async () => {
    const specials = async (kind: Kind) => {
      const { before, after } = (await HfTokenizer.load(paths[kind], 64)).specials;
      return [Array.from(before), Array.from(after)];
    };
    // The vocabularies start with their special tokens (see trainTokenizer): [CLS] 2, [SEP] 3; </s> 1; <s> 0, </s> 2.
    expect(await specials('wordpiece')).toEqual([[2], [3]]);
    expect(await specials('unigram')).toEqual([[], [1]]);
    expect(await specials('bpe')).toEqual([[0], [2]]);
  });

  describe('how much of a long text it tokenizes at once', () => {
    const megabyte = CODE.repeat(Math.ceil(2 ** 20 / CODE.length));
    const longestTokenized = async (kind: Kind) => {
      const spy = jest.spyOn(Tokenizer.prototype, 'encodeBatch');
      try {
        await (await HfTokenizer.load(paths[kind], 64)).encodeContent([megabyte, 'x']);
        return Math.max(...spy.mock.calls.flatMap(([inputs]) => inputs.map((input) => (input as string).length)));
      } finally {
        spy.mockRestore();
      }
    };

    const cutting = ['wordpiece', 'unigram', 'bpe', 't5-normalizer', 'bpe-strip-accents'] as const;
    it.each(cutting)('%s: segments of a few kilobytes, not the megabyte', async (kind) => {
      expect(await longestTokenized(kind)).toBeLessThan(8_192);
    });

    it('the whole text when pieces may span spaces', async () => {
      expect(await longestTokenized('no-pre-tokenizer')).toBe(megabyte.length);
    });
  });
});
