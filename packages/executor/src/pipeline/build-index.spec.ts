import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeBuildOptions } from '../config/normalize-options';
import { checkIndexWithNumpy, chunkRow, makeWorkspace, SAMPLE_SOURCES, writeTestModel } from '../test-utils/fixtures';
import { externalizeWeights } from '@xtr-nx/encoder/testing';
import { float32ToFloat16 } from '@xtr-nx/storage';
import { buildIndex } from './build-index';

const quiet = { info: () => undefined };

describe('buildIndex', () => {
  it('streams a catalog into artifacts the Python reader loads', async () => {
    const rows = [
      ...SAMPLE_SOURCES.map((s, i) => chunkRow(BigInt(100 - i), s)),
      chunkRow(null, 'skipped'),
      chunkRow(7n, null),
    ];
    const root = await makeWorkspace(rows);
    const options = normalizeBuildOptions('xtr.config.json', { threads: 1, window: 2 }, root);
    const summary = await buildIndex(options, quiet);

    expect(summary).toMatchObject({ chunks: 5, nullIdsSkipped: 1, dim: 128, dtype: 'float16', model: 'builtin:hash' });
    const checked = await checkIndexWithNumpy(join(root, 'out/index'));
    expect(checked).toMatchObject({ total_tokens: summary.tokens, doc_count: 5, first_id: 7, last_id: 100 });
    const meta = JSON.parse(readFileSync(join(root, 'out/index/index.meta.json'), 'utf8'));
    expect(meta.chunk_ids).toEqual([7, 97, 98, 99, 100]);
    // NULL and empty content both encode to the document marker alone.
    expect(meta.lengths[0]).toBe(1);
    expect(meta.lengths[1]).toBe(1);
    const manifest = JSON.parse(readFileSync(join(root, 'out/index/xtr.manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ catalog: { path: '../../catalog.duckdb', nullIdsSkipped: 1 }, docCount: 5 });
  });

  it('produces identical bytes whatever the read window and batch size', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => chunkRow(BigInt(i), SAMPLE_SOURCES[i % 3].repeat(1 + (i % 4))));
    const root = await makeWorkspace(rows);
    const read = async (window: number, batchSize: number, dir: string) => {
      await buildIndex(
        normalizeBuildOptions('xtr.config.json', { threads: 1, batchSize, window, outputDir: dir }, root),
        quiet,
      );
      return ['tokens.f16', 'index.meta.json'].map((f) => readFileSync(join(root, dir, f)));
    };
    const [a, b] = [await read(256, 32, 'a'), await read(3, 1, 'b')];
    expect(a[0].equals(b[0])).toBe(true);
    expect(a[1].equals(b[1])).toBe(true);
  });

  it('writes float16 that is exactly the numpy-style conversion of the float32 vectors', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => chunkRow(BigInt(i), SAMPLE_SOURCES[i % 3].repeat(1 + (i % 5))));
    const root = await makeWorkspace(rows);
    await buildIndex(normalizeBuildOptions('xtr.config.json', { outputDir: 'f16', dtype: 'float16' }, root), quiet);
    await buildIndex(normalizeBuildOptions('xtr.config.json', { outputDir: 'f32', dtype: 'float32' }, root), quiet);
    const f32 = readFileSync(join(root, 'f32/tokens.f32'));
    const expected = float32ToFloat16(new Float32Array(f32.buffer, f32.byteOffset, f32.length / 4));
    expect(readFileSync(join(root, 'f16/tokens.f16')).equals(Buffer.from(expected.buffer))).toBe(true);
  });

  it('writes float32 when asked', async () => {
    const root = await makeWorkspace([chunkRow(1n, SAMPLE_SOURCES[0])], { output: { dir: 'idx', dtype: 'float32' } });
    await buildIndex(normalizeBuildOptions('xtr.config.json', {}, root), quiet);
    expect(readdirSync(join(root, 'idx')).sort()).toEqual(['index.meta.json', 'tokens.f32', 'xtr.manifest.json']);
    expect(await checkIndexWithNumpy(join(root, 'idx'))).toMatchObject({ dtype: 'float32', doc_count: 1 });
  });

  describe('with an ONNX model and tokenizer.json', () => {
    it('builds end to end, resolving model paths against the config file', async () => {
      const root = await makeWorkspace(
        SAMPLE_SOURCES.map((s, i) => chunkRow(BigInt(i + 1), s)),
        {
          encoder: { model: 'model.onnx', tokenizer: 'tokenizer.json', dim: 32 },
        },
      );
      writeTestModel(root);
      const summary = await buildIndex(normalizeBuildOptions('xtr.config.json', { threads: 1 }, root), quiet);
      expect(summary).toMatchObject({ chunks: 4, dim: 32, model: join(root, 'model.onnx') });
      expect(await checkIndexWithNumpy(join(root, 'out/index'))).toMatchObject({ dim: 32, doc_count: 4 });
      const manifest = JSON.parse(readFileSync(join(root, 'out/index/xtr.manifest.json'), 'utf8'));
      expect(manifest.encoder).toEqual({
        model: '../../model.onnx',
        fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
        normalized: true,
      });
    });

    it('names the chunk that tokenizes to nothing and publishes nothing', async () => {
      const root = await makeWorkspace([chunkRow(1n, 'fine'), chunkRow(5n, '')], {
        encoder: { model: 'model.onnx', tokenizer: 'tokenizer.json' },
      });
      const { tokenizer } = writeTestModel(root);
      const json = JSON.parse(readFileSync(tokenizer, 'utf8'));
      json.post_processor = null;
      writeFileSync(tokenizer, JSON.stringify(json));
      await expect(buildIndex(normalizeBuildOptions('xtr.config.json', { threads: 1 }, root), quiet)).rejects.toThrow(
        /^Chunk 5 tokenizes to zero tokens/,
      );
      expect(existsSync(join(root, 'out'))).toBe(false);
    });

    it('warns when external weights sit under a name the Nx inputs (model.onnx*) do not cover', async () => {
      const root = await makeWorkspace(
        SAMPLE_SOURCES.map((s, i) => chunkRow(BigInt(i + 1), s)),
        {
          encoder: { model: 'model.onnx', tokenizer: 'tokenizer.json' },
        },
      );
      const { model } = writeTestModel(root);
      const messages = async () => {
        const lines: string[] = [];
        await buildIndex(normalizeBuildOptions('xtr.config.json', { threads: 1 }, root), {
          info: (line) => lines.push(line),
        });
        return lines.filter((line) => line.startsWith('warning:'));
      };
      const inline = readFileSync(model);
      externalizeWeights(model, 'model.onnx_data');
      expect(await messages()).toEqual([]);
      writeFileSync(model, inline);
      externalizeWeights(model, 'weights.bin');
      expect(await messages()).toEqual([
        expect.stringMatching(/keeps weights in .*weights\.bin; Nx hashes only files named model\.onnx\*/),
      ]);
    });
  });
});
