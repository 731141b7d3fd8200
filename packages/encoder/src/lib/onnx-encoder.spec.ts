import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from 'tokenizers';
import {
  externalizeWeights,
  maxAbsDiff,
  SHORT_POSITIONS,
  SMALL_SIZE,
  type TestModel,
  type TestModelOptions,
  testEncoderOptions,
  textVectors,
  writeNpy,
  writeOddModel,
  writeTestModel,
  writeTinyWordPiece,
} from '../testing';
import { fillSeededUniform } from './builtin/seeded-uniform';
import { createEncoder } from './create-encoder';
import { modelBytes, modelFiles } from './onnx/model-files';
import type { EncoderOptions, TokenEncoder } from './types';

const TEXTS = [
  'export function getUserById(id: number) { return users.get(id); }',
  'x',
  '',
  'class UserRepository {\n  findByEmail(email: string) {\n    return this.db.query("SELECT * FROM users WHERE email = ?", [email]);\n  }\n}',
  'const total = items.reduce((sum, item) => sum + item.price * item.quantity, 0);',
];

/** Sources of this package: real code to train the test tokenizers on. */
const TRAINING_FILES = [join(__dirname, 'batched-encoder.ts'), join(__dirname, 'onnx/onnx-token-model.ts')];

async function withEncoder<T>(options: EncoderOptions, use: (encoder: TokenEncoder) => Promise<T>): Promise<T> {
  const encoder = await createEncoder(testEncoderOptions(options));
  try {
    return await use(encoder);
  } finally {
    await encoder.close();
  }
}

describe('ONNX token encoder with a Hugging Face tokenizer', () => {
  const root = mkdtempSync(join(tmpdir(), 'xtr-onnx-encoder-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  /** A test model in a folder of its own under `root`, which holds the files a test adds beside it. */
  const testModel = (name: string, options: Partial<TestModelOptions> = {}): TestModel & { dir: string } => {
    const dir = join(root, name);
    mkdirSync(dir);
    return { dir, ...writeTestModel(dir, { trainingFiles: TRAINING_FILES, ...options }) };
  };
  let wordpiece: ReturnType<typeof testModel>;
  let unigram: ReturnType<typeof testModel>;
  beforeAll(() => {
    wordpiece = testModel('wordpiece', { tokenTypeIds: true });
    unigram = testModel('unigram', { kind: 'unigram' });
  });

  it.each(['wordpiece', 'unigram'] as const)(
    '%s: batched output equals one text at a time, real tokens only',
    async (kind) => {
      const { model, tokenizer } = kind === 'wordpiece' ? wordpiece : unigram;
      await withEncoder({ model, tokenizer, batchSize: 3 }, async (encoder) => {
        const batched = await encoder.encode(TEXTS);
        expect(encoder.dim).toBe(64);
        expect(batched.vectors.length).toBe(batched.lengths.reduce((a, b) => a + b, 0) * 64);
        for (let i = 0; i < TEXTS.length; i++) {
          const single = await encoder.encode([TEXTS[i]]);
          expect(single.lengths[0]).toBe(batched.lengths[i]);
          expect(maxAbsDiff(single.vectors, textVectors(batched, 64, i))).toBeLessThanOrEqual(1e-5);
        }
      });
    },
  );

  it('gives the same vectors with batches overlapped or one after the other', async () => {
    const { model, tokenizer } = wordpiece;
    const [overlapped, sequential] = [
      await withEncoder({ model, tokenizer, batchSize: 2 }, (e) => e.encode(TEXTS)),
      await withEncoder({ model, tokenizer, batchSize: 2, overlap: false }, (e) => e.encode(TEXTS)),
    ];
    expect(Buffer.from(overlapped.vectors.buffer).equals(Buffer.from(sequential.vectors.buffer))).toBe(true);
  });

  it('keeps every token the tokenizer gives, [CLS] and [SEP] included, truncated to maxLength', async () => {
    const tiny = join(wordpiece.dir, 'tiny.json');
    writeTinyWordPiece(tiny);
    const texts = ['', 'getUserById(id)', 'return users.get(id);', 'find { getter }'];
    await withEncoder({ model: wordpiece.model, tokenizer: tiny, maxLength: 6 }, async (encoder) => {
      const { tokens } = await encoder.tokenize(texts);
      // By hand: [CLS] [SEP] — [CLS] get ##user ##by ##id [SEP] — [CLS] return user ##s . [SEP] —
      // [CLS] find { [UNK] } [SEP] (no "##ter" for "getter": the whole word is unknown).
      expect(tokens.map((ids) => Array.from(ids))).toEqual([
        [2, 3],
        [2, 4, 6, 7, 8, 3],
        [2, 10, 5, 11, 14, 3],
        [2, 18, 16, 1, 17, 3],
      ]);
      expect(Array.from((await encoder.encodeTokenized({ tokens })).lengths)).toEqual([2, 6, 6, 6]);
    });
  });

  it('emits unit-norm rows, or raw states with normalize: false', async () => {
    const { model, tokenizer } = wordpiece;
    const norms = async (normalize: boolean) =>
      withEncoder({ model, tokenizer, normalize }, async (encoder) => {
        const { vectors } = await encoder.encode(TEXTS);
        return Array.from({ length: vectors.length / 64 }, (_, r) =>
          Math.hypot(...vectors.subarray(r * 64, (r + 1) * 64)),
        );
      });
    for (const norm of await norms(true)) expect(norm).toBeCloseTo(1, 5);
    expect((await norms(false)).some((n) => Math.abs(n - 1) > 0.1)).toBe(true);
  });

  it('applies a .npy projection in torch layout [out, in] before normalising', async () => {
    const { dir, model, tokenizer } = wordpiece;
    const weight = fillSeededUniform(new Float32Array(32 * 64), 3, 0.2); // Linear(64 → 32).weight
    writeNpy(join(dir, 'proj.npy'), 32, 64, weight);
    const raw = await withEncoder({ model, tokenizer, normalize: false }, (e) => e.encode(TEXTS));
    await withEncoder({ model, tokenizer, projection: join(dir, 'proj.npy'), dim: 32 }, async (encoder) => {
      const projected = await encoder.encode(TEXTS);
      expect(encoder.dim).toBe(32);
      const rows = raw.vectors.length / 64;
      const expected = new Float32Array(rows * 32);
      for (let r = 0; r < rows; r++) {
        for (let o = 0; o < 32; o++) {
          let sum = 0;
          for (let i = 0; i < 64; i++) sum += raw.vectors[r * 64 + i] * weight[o * 64 + i];
          expected[r * 32 + o] = sum;
        }
        const row = expected.subarray(r * 32, (r + 1) * 32);
        const norm = Math.hypot(...row);
        row.forEach((v, i) => (row[i] = v / norm));
      }
      expect(maxAbsDiff(projected.vectors, expected)).toBeLessThanOrEqual(1e-5);
    });
  });

  it('accepts a model whose output is already projected', async () => {
    const projected = testModel('projected', { projectionDim: 16 });
    await withEncoder({ model: projected.model, tokenizer: projected.tokenizer, dim: 16 }, async (encoder) => {
      await encoder.encode(TEXTS);
      expect(encoder.dim).toBe(16);
    });
  });

  it('fingerprints model bytes, tokenizer and options', async () => {
    const { dir, model, tokenizer } = wordpiece;
    const print = (options: Partial<EncoderOptions>) =>
      withEncoder({ model, tokenizer, ...options }, async (e) => e.fingerprint);
    const base = await print({});
    expect(await print({ batchSize: 7, threads: 2 })).toBe(base);
    expect(await print({ maxLength: 64 })).not.toBe(base);
    const otherModel = join(dir, 'other.onnx');
    copyFileSync(unigram.model, otherModel);
    expect(await print({ model: otherModel })).not.toBe(base);
  });

  it('loads weights kept as external data, fingerprints them, and names a missing data file', async () => {
    const { dir, model, tokenizer } = unigram;
    const split = join(dir, 'split.onnx');
    copyFileSync(model, split);
    externalizeWeights(split, 'split.onnx_data');
    const data = join(dir, 'split.onnx_data');
    expect(modelFiles(split)).toEqual([split, data]);
    expect(modelFiles(model)).toEqual([model]);
    expect(modelBytes(split)).toBe(statSync(split).size + statSync(data).size);
    const encodeWith = (m: string) =>
      withEncoder({ model: m, tokenizer }, async (e) => ({ batch: await e.encode(TEXTS), fingerprint: e.fingerprint }));
    const [inline, external] = [await encodeWith(model), await encodeWith(split)];
    expect(external.batch.vectors).toEqual(inline.batch.vectors);
    // Same .onnx bytes, other weights: the fingerprint (and so the index's cache key) must change.
    const weights = readFileSync(data);
    weights[weights.length - 1] ^= 1;
    writeFileSync(data, weights);
    expect((await encodeWith(split)).fingerprint).not.toBe(external.fingerprint);
    unlinkSync(data);
    await expect(createEncoder(testEncoderOptions({ model: split, tokenizer }))).rejects.toThrow(
      /keeps its weights in .*split\.onnx_data, which is missing/,
    );
  });

  describe('bad input', () => {
    const expectError = (options: Partial<EncoderOptions>, message: RegExp) =>
      expect(
        createEncoder(testEncoderOptions({ model: wordpiece.model, tokenizer: wordpiece.tokenizer, ...options })),
      ).rejects.toThrow(message);

    it('names a missing model, tokenizer or projection', async () => {
      await expectError({ model: '/nope/model.onnx' }, /Model file not found: \/nope\/model\.onnx/);
      await expectError({ tokenizer: undefined }, /needs a tokenizer: set "encoder.tokenizer"/);
      await expectError({ tokenizer: '/nope/tokenizer.json' }, /Tokenizer file not found: \/nope\/tokenizer\.json/);
      await expectError({ projection: '/nope/p.npy' }, /Projection file not found: \/nope\/p\.npy/);
    });

    it('explains a file that is not ONNX or not a tokenizer', async () => {
      const junk = join(wordpiece.dir, 'junk.bin');
      writeFileSync(junk, 'definitely not protobuf');
      await expectError({ model: junk }, /Cannot load ONNX model .*junk\.bin.*must be an \.onnx file/);
      await expectError({ tokenizer: junk }, /Cannot load tokenizer .*junk\.bin.*tokenizer\.json/);
    });

    it('lists the names a model actually has', async () => {
      await expectError(
        { inputs: { inputIds: 'ids' } },
        /has no input "ids".*its inputs are: input_ids, attention_mask, token_type_ids/,
      );
      await expectError(
        { inputs: { tokenTypeIds: null } },
        /needs input "token_type_ids" that xtr does not know how to fill/,
      );
      await expectError({ output: 'pooler_output' }, /has no output "pooler_output"; it has: last_hidden_state/);
    });

    it('rejects outputs that are not [batch, tokens, width], NaN and Inf, and width mismatches', async () => {
      const vocab = Tokenizer.fromFile(wordpiece.tokenizer).getVocabSize(true);
      const pooled = join(wordpiece.dir, 'pooled.onnx');
      const nan = join(wordpiece.dir, 'nan.onnx');
      writeOddModel(pooled, vocab, 'pooled');
      writeOddModel(nan, vocab, 'nan');
      const encodeWith = (options: Partial<EncoderOptions>) =>
        withEncoder({ model: wordpiece.model, tokenizer: wordpiece.tokenizer, ...options }, (e) => e.encode(TEXTS));
      await expect(encodeWith({ model: pooled })).rejects.toThrow(
        /output "last_hidden_state" is float32 \[5, 8\], expected float32 \[batch=5, tokens=\d+, width\]/,
      );
      await expect(encodeWith({ model: nan })).rejects.toMatchObject({
        textIndex: expect.any(Number),
        message: expect.stringMatching(/NaN or Infinity/),
      });
      await expect(encodeWith({ dim: 128 })).rejects.toThrow(/produces 64-wide vectors but "encoder.dim" is 128/);
    });

    it('refuses a maxLength beyond the position embeddings of the model, naming both', async () => {
      const short = testModel('short', { size: { ...SMALL_SIZE, maxPositions: 32 } });
      const options = { model: short.model, tokenizer: short.tokenizer };
      await expect(createEncoder(testEncoderOptions({ ...options, maxLength: 33 }))).rejects.toThrow(
        /"encoder.maxLength" is 33, but model .*model\.onnx has position embeddings for 32 tokens\. Set it to 32 or less/,
      );
      const long = TEXTS[3].repeat(10);
      const [ids] = await withEncoder({ ...options, maxLength: 32 }, async (e) => (await e.tokenize([long])).tokens);
      expect(ids).toHaveLength(32);
    });

    it('points at encoder.maxLength when a model whose positions cannot be read fails on long chunks', async () => {
      const vocab = Tokenizer.fromFile(wordpiece.tokenizer).getVocabSize(true);
      const model = join(wordpiece.dir, 'short-positions.onnx');
      writeOddModel(model, vocab, 'short-positions');
      const encodeWith = (maxLength: number) =>
        withEncoder({ model, tokenizer: wordpiece.tokenizer, maxLength }, (e) => e.encode([TEXTS[3].repeat(10)]));
      await expect(encodeWith(SHORT_POSITIONS)).resolves.toMatchObject({ lengths: new Int32Array([SHORT_POSITIONS]) });
      await expect(encodeWith(64)).rejects.toThrow(
        /failed on a batch of 1 chunks of up to 64 tokens: .*If the model takes fewer than 64 tokens .*set "encoder.maxLength" to its maximum/,
      );
    });

    it('names the text that tokenizes to zero tokens', async () => {
      const noSpecials = join(wordpiece.dir, 'no-specials.json');
      // The same vocabulary without a post-processor: "" has no tokens at all.
      const json = JSON.parse(readFileSync(wordpiece.tokenizer, 'utf8'));
      json.post_processor = null;
      writeFileSync(noSpecials, JSON.stringify(json));
      await expect(
        withEncoder({ model: wordpiece.model, tokenizer: noSpecials }, (e) => e.encode(['a', ''])),
      ).rejects.toMatchObject({ textIndex: 1, message: expect.stringMatching(/tokenizes to zero tokens/) });
    });
  });
});
