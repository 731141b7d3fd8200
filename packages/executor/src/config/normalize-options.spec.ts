import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeBuildOptions, normalizeIndexOptions } from './normalize-options';

describe('normalizeBuildOptions', () => {
  const root = mkdtempSync(join(tmpdir(), 'xtr-options-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'apps/search'), { recursive: true });
  writeFileSync(
    join(root, 'apps/search/xtr.config.json'),
    JSON.stringify({
      catalog: { path: '../../data/c.duckdb', table: 'code_chunks' },
      encoder: { model: 'models/m.onnx', tokenizer: 'models/t.json', batchSize: 4, window: 64 },
      output: { dir: 'dist/index', dtype: 'float32' },
    }),
  );

  it('resolves config paths against the config folder and fills defaults', () => {
    const options = normalizeBuildOptions('apps/search/xtr.config.json', {}, root);
    expect(options).toMatchObject({
      catalogPath: join(root, 'data/c.duckdb'),
      table: 'code_chunks',
      catalogMemoryLimit: '256MB',
      encoder: {
        model: join(root, 'apps/search/models/m.onnx'),
        tokenizer: join(root, 'apps/search/models/t.json'),
        batchSize: 4,
        maxLength: 256,
        normalize: true,
      },
      outputDir: join(root, 'apps/search/dist/index'),
      dtype: 'float32',
      window: 64,
    });
    expect(options.encoder.threads).toBe(availableParallelism());
    expect(options.encoder).not.toHaveProperty('window');
    expect(options.warnings).toEqual([]);
  });

  it('lets executor and CLI options win, with paths relative to the workspace root', () => {
    const options = normalizeBuildOptions(
      'apps/search/xtr.config.json',
      {
        catalog: 'other.duckdb',
        model: 'builtin:hash',
        tokenizer: undefined,
        batchSize: 16,
        outputDir: 'out',
        dtype: 'float16',
        window: 8,
      },
      root,
    );
    expect(options).toMatchObject({
      catalogPath: join(root, 'other.duckdb'),
      encoder: { model: 'builtin:hash', batchSize: 16 },
      outputDir: join(root, 'out'),
      dtype: 'float16',
      window: 8,
    });
  });

  it('runs large models one chunk per call unless a batch size is set', () => {
    const config = (model: string) => {
      const dir = mkdtempSync(join(root, 'batch-'));
      writeFileSync(
        join(dir, 'xtr.config.json'),
        JSON.stringify({ catalog: { path: 'c.duckdb' }, encoder: { model, tokenizer: 't.json' } }),
      );
      return join(dir, 'xtr.config.json');
    };
    const large = join(root, 'large.onnx');
    const small = join(root, 'small.onnx');
    writeFileSync(large, '');
    truncateSync(large, 64 * 2 ** 20); // sparse: nothing is written
    writeFileSync(small, 'onnx');
    expect(normalizeBuildOptions(config(large), {}, root).encoder.batchSize).toBe(1);
    expect(normalizeBuildOptions(config(large), { batchSize: 4 }, root).encoder.batchSize).toBe(4);
    expect(normalizeBuildOptions(config(small), {}, root).encoder.batchSize).toBe(8);
    expect(normalizeBuildOptions(config('builtin:hash'), {}, root).encoder.batchSize).toBe(8);
    // A missing model is reported by the encoder, by name; the default must not fail first.
    expect(normalizeBuildOptions(config(join(root, 'missing.onnx')), {}, root).encoder.batchSize).toBe(8);
  });

  it('resolves only the catalog and index for fingerprint and verify: encoder options are not even checked', () => {
    const config = { catalog: { path: 'c.duckdb' }, encoder: { window: 4096, maxLength: 512 } };
    writeFileSync(join(root, 'bad-encoder.config.json'), JSON.stringify(config));
    expect(normalizeIndexOptions('bad-encoder.config.json', { outputDir: 'out' }, root)).toEqual({
      configPath: join(root, 'bad-encoder.config.json'),
      catalogPath: join(root, 'c.duckdb'),
      table: 'chunks',
      catalogMemoryLimit: '256MB',
      outputDir: join(root, 'out'),
    });
    expect(() => normalizeBuildOptions('bad-encoder.config.json', {}, root)).toThrow(/"encoder.window" × /);
  });

  it('takes the DuckDB memory limit from catalog.memoryLimit', () => {
    writeFileSync(join(root, 'mem.config.json'), JSON.stringify({ catalog: { path: 'c.duckdb', memoryLimit: '1GB' } }));
    expect(normalizeBuildOptions('mem.config.json', {}, root).catalogMemoryLimit).toBe('1GB');
  });

  it('lowers threads beyond the cores to the cores, and says so', () => {
    const cores = availableParallelism();
    const options = normalizeBuildOptions('apps/search/xtr.config.json', { threads: 1024 }, root);
    expect(options.encoder.threads).toBe(cores);
    const warning = new RegExp(`"encoder.threads" is 1024 but this machine has ${cores} cores`);
    expect(options.warnings).toEqual([expect.stringMatching(warning)]);
  });

  it('refuses sizes beyond their limits, from the config or from the command line', () => {
    const huge = { catalog: { path: 'c.duckdb' }, encoder: { window: 4096, maxLength: 512 } };
    writeFileSync(join(root, 'huge.config.json'), JSON.stringify(huge));
    expect(() => normalizeBuildOptions('huge.config.json', {}, root)).toThrow(
      /"encoder.window" × "encoder.maxLength" is 4096 × 512/,
    );
    const fromCommandLine = () => normalizeBuildOptions('apps/search/xtr.config.json', { maxLength: 1e9 }, root);
    const message = expect.stringMatching(/^"encoder.maxLength" is 1000000000, .* 8192/);
    expect(fromCommandLine).toThrow(expect.objectContaining({ name: 'ConfigError', message }));
  });

  it('shrinks the default window for long chunks so that it stays within its token budget', () => {
    writeFileSync(join(root, 'long.config.json'), JSON.stringify({ catalog: { path: 'c.duckdb' } }));
    expect(normalizeBuildOptions('long.config.json', { maxLength: 8192 }, root).window).toBe(64);
    expect(normalizeBuildOptions('long.config.json', { maxLength: 2048 }, root).window).toBe(256);
    expect(normalizeBuildOptions('long.config.json', { maxLength: 4096 }, root).window).toBe(128);
  });
});
