import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ChunkRow, writeCatalog } from '@xtr-nx/catalog';
import { buildTransformerModel, SMALL_SIZE } from '@xtr-nx/encoder/testing';
import { verifyIndex } from '@xtr-nx/storage';
import { Tokenizer } from 'tokenizers';
import { type BuildOverrides, normalizeBuildOptions } from '../../config/normalize-options';
import type { XtrConfig } from '../../config/xtr-config';
import { chunkRow, makeWorkspace, SAMPLE_SOURCES, writeTestModel } from '../../test-utils/fixtures';
import { buildIndex } from '../build-index';

const quiet = { info: () => undefined };
const INDEX_FILES = { float16: 'tokens.f16', float32: 'tokens.f32' } as const;

/** Text `n` of the first catalog: distinct, of varied lengths. */
const text = (n: number) => `${SAMPLE_SOURCES[n % 3].repeat(1 + (n % 4))}// original ${n}\n`;

/** 40 distinct texts under ids 1..40, and id 41 repeating the text of id 1. */
const FIRST: ChunkRow[] = [
  ...Array.from({ length: 40 }, (_, i) => chunkRow(BigInt(i + 1), text(i))),
  chunkRow(41n, text(0)),
];

/**
 * The second catalog, every kind of change at once: ids 5-7 edited, 10-11 deleted, 20-24
 * renumbered to 120-124 (same texts), id 200 added with the text of id 4, ids 201 and 202 added
 * with one new text. 42 chunks, 39 distinct texts: 4 new (3 edits, 1 added), 35 kept.
 */
const SECOND: ChunkRow[] = [
  ...FIRST.filter(({ id }) => ![5n, 6n, 7n, 10n, 11n, 20n, 21n, 22n, 23n, 24n].includes(id as bigint)),
  chunkRow(5n, 'edited five'),
  chunkRow(6n, `${text(5)}// edited\n`),
  chunkRow(7n, 'edited seven, and longer: '.repeat(9)),
  ...[20, 21, 22, 23, 24].map((id) => chunkRow(BigInt(id + 100), text(id - 1))),
  chunkRow(200n, text(3)),
  chunkRow(201n, 'new text, added twice'),
  chunkRow(202n, 'new text, added twice'),
];

/** sha256 of each of the three index files. */
function digests(dir: string, dtype: keyof typeof INDEX_FILES): Record<string, string> {
  return Object.fromEntries(
    [INDEX_FILES[dtype], 'index.meta.json', 'xtr.manifest.json'].map((file) => [
      file,
      createHash('sha256')
        .update(readFileSync(join(dir, file)))
        .digest('hex'),
    ]),
  );
}

const ONNX = { model: 'model.onnx', tokenizer: 'tokenizer.json' };
/** Windows of 16 tokens: most texts are read in several, which must be reused like any rows. */
const WINDOWS = { maxLength: 16, overflow: 'window', stride: 4 } as const;
const ENCODERS: Record<string, { encoder?: XtrConfig['encoder'] }> = {
  'builtin:hash': {},
  'a generated ONNX transformer': { encoder: ONNX },
  'builtin:hash, long chunks in windows': { encoder: WINDOWS },
  'a generated ONNX transformer, long chunks in windows': { encoder: { ...ONNX, ...WINDOWS } },
};

describe.each(Object.entries(ENCODERS))('incremental builds with %s', (_name, encoderConfig) => {
  async function workspace(dtype: keyof typeof INDEX_FILES) {
    const root = await makeWorkspace(FIRST, {
      ...encoderConfig,
      output: { dir: 'out/index', dtype },
      store: { dir: 'store' },
    });
    if (encoderConfig.encoder?.model) writeTestModel(root);
    await writeCatalog(join(root, 'second.duckdb'), SECOND);
    // Small windows and batches: repeats fall in the same window and in later ones.
    const build = (overrides: BuildOverrides) =>
      buildIndex(
        normalizeBuildOptions('xtr.config.json', { threads: 1, window: 8, batchSize: 3, ...overrides }, root),
        quiet,
      );
    return { root, build };
  }

  it.each(['float16', 'float32'] as const)(
    '%s: after edits, additions, deletions, renumbered ids and repeated texts, equals a full build byte for byte',
    async (dtype) => {
      const { root, build } = await workspace(dtype);
      const first = await build({});
      expect(first.reuse).toMatchObject({ encoded: 40, fromPrevious: 0, fromStore: 0, deduplicated: 1 });
      if (encoderConfig.encoder?.overflow) expect(first.long.extraWindows).toBeGreaterThan(40);

      const incremental = await build({ catalog: 'second.duckdb' });
      expect(incremental.reuse).toMatchObject({ encoded: 4, fromPrevious: 35, fromStore: 0, deduplicated: 3 });
      const full = await build({ catalog: 'second.duckdb', outputDir: 'full/index', full: true });
      expect(full.reuse).toMatchObject({ encoded: 39, fromPrevious: 0, fromStore: 0, deduplicated: 3 });

      expect(digests(join(root, 'out/index'), dtype)).toEqual(digests(join(root, 'full/index'), dtype));
      expect(await verifyIndex(join(root, 'out/index'))).toMatchObject({ ok: true, docCount: 42 });
    },
  );

  it('takes vectors from the store when the index folder is gone, and re-encodes a damaged entry', async () => {
    const { root, build } = await workspace('float16');
    await build({});
    rmSync(join(root, 'out'), { recursive: true });
    const entries = readdirSync(join(root, 'store'), { recursive: true }).map(String);
    expect(entries.filter((f) => f.endsWith('.xv'))).toHaveLength(40);
    // The entry of a kept text (id 2's) loses a bit of its last vector; entries are named by the
    // first 128 bits of the text's SHA-256, after a two-digit fan-out folder.
    const key = createHash('sha256').update(text(1)).digest('hex').slice(0, 32);
    const damaged = join(
      root,
      'store',
      entries.find((f) => f.endsWith(`${key.slice(0, 2)}/${key.slice(2)}.xv`)) as string,
    );
    const bytes = readFileSync(damaged);
    bytes[bytes.length - 1] ^= 0x40;
    writeFileSync(damaged, bytes);

    const fromStore = await build({ catalog: 'second.duckdb' });
    await build({ catalog: 'second.duckdb', outputDir: 'full/index', full: true });
    expect(fromStore.reuse).toMatchObject({ encoded: 5, fromPrevious: 0, fromStore: 34, deduplicated: 3 });
    expect(fromStore.store?.counters.damaged).toBe(1);
    expect(digests(join(root, 'out/index'), 'float16')).toEqual(digests(join(root, 'full/index'), 'float16'));
    expect(await verifyIndex(join(root, 'out/index'))).toMatchObject({ ok: true });
  });

  it.each([
    ['maxLength', { maxLength: 64 }],
    ['dtype', { dtype: 'float32' as const }],
  ])('reuses nothing once the %s changes', async (_option, change) => {
    const { build } = await workspace('float16');
    await build({});
    const changed = await build(change);
    expect(changed.reuse).toMatchObject({ encoded: 40, fromPrevious: 0, fromStore: 0, deduplicated: 1 });
  });
});

describe('incremental builds and the encoder', () => {
  it('reuse nothing once the model bytes change', async () => {
    const root = await makeWorkspace(FIRST, {
      encoder: { model: 'model.onnx', tokenizer: 'tokenizer.json' },
      store: { dir: 'store' },
    });
    const { tokenizer } = writeTestModel(root);
    const build = () => buildIndex(normalizeBuildOptions('xtr.config.json', { threads: 1 }, root), quiet);
    await build();
    // Same tokenizer and graph, other weights (another seed); training the tokenizer again could
    // give another vocabulary, so the model is generated for this one.
    const vocabSize = Tokenizer.fromFile(tokenizer).getVocabSize(true);
    writeFileSync(
      join(root, 'model.onnx'),
      buildTransformerModel({ vocabSize, size: SMALL_SIZE, seed: 2, projectionDim: 32 }),
    );
    expect((await build()).reuse).toMatchObject({ encoded: 40, fromPrevious: 0, fromStore: 0 });
  });

  it('does not copy from a previous index whose token file was tampered with', async () => {
    const root = await makeWorkspace(FIRST, { store: false });
    const build = (overrides: BuildOverrides) =>
      buildIndex(normalizeBuildOptions('xtr.config.json', { threads: 1, ...overrides }, root), quiet);
    await build({});
    const tokens = join(root, 'out/index/tokens.f16');
    const bytes = readFileSync(tokens);
    bytes[10] ^= 0x01;
    writeFileSync(tokens, bytes);
    expect((await build({})).reuse).toMatchObject({ encoded: 40, fromPrevious: 0 });
    expect(await verifyIndex(join(root, 'out/index'))).toMatchObject({ ok: true });
    await build({ outputDir: 'full/index', full: true });
    expect(digests(join(root, 'out/index'), 'float16')).toEqual(digests(join(root, 'full/index'), 'float16'));
  });
});
