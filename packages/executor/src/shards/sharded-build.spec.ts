import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ChunkRow, writeCatalog } from '@xtr-nx/catalog';
import { verifyIndex } from '@xtr-nx/storage';
import { type BuildOverrides, normalizeBuildOptions } from '../config/normalize-options';
import type { ShardOptions } from '../config/shard-options';
import type { XtrConfig } from '../config/xtr-config';
import { chunkRow, makeWorkspace, SAMPLE_SOURCES } from '../test-utils/fixtures';
import { buildIndex } from '../pipeline/build-index';
import { mergeShards } from './merge-shards';
import { planShards } from './plan-shards';

const quiet = { info: () => undefined };
const INDEX_FILES = ['tokens.f16', 'index.meta.json', 'xtr.manifest.json'];
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const digests = (dir: string) => INDEX_FILES.map((file) => sha(join(dir, file)));

/** 12 files of 1 to 4 chunks each (ids interleaved across files), and chunk 99 without a uri. */
function catalog(edit: (row: ChunkRow) => ChunkRow = (row) => row): ChunkRow[] {
  const rows: ChunkRow[] = [];
  for (let file = 0; file < 12; file++) {
    for (let part = 0; part <= file % 4; part++) {
      const id = BigInt(part * 100 + file);
      rows.push({
        ...chunkRow(id, `${SAMPLE_SOURCES[file % 3]}// file ${file} part ${part}\n`),
        uri: `src/f${file}.ts`,
      });
    }
  }
  rows.push({ ...chunkRow(999n, 'no file'), uri: '' });
  return rows.map(edit);
}

describe('a sharded build', () => {
  async function workspace(encoder: XtrConfig['encoder'] = {}) {
    const root = await makeWorkspace(catalog(), { shards: 3, encoder });
    const options = (overrides: BuildOverrides = {}) =>
      normalizeBuildOptions('xtr.config.json', { threads: 1, ...overrides }, root);
    const shards = options().shards as ShardOptions;
    const plan = () => planShards(options(), shards);
    const buildShards = async () => {
      const summaries = [];
      for (let shard = 0; shard < 3; shard++) summaries.push(await buildIndex(options({ shard }), quiet));
      return summaries;
    };
    const merge = () => mergeShards(options(), shards, quiet, []);
    return { root, options, plan, buildShards, merge };
  }

  it.each([
    ['', {}],
    [', long chunks in windows of 16 tokens', { maxLength: 16, overflow: 'window', stride: 4 } as const],
  ])('plans, builds each shard and merges into the bytes of an unsharded build%s', async (_, encoder) => {
    const { root, options, plan, buildShards, merge } = await workspace(encoder);
    const planned = await plan();
    expect(planned.plan.parts.map((part) => part.chunks).reduce((a, b) => a + b)).toBe(31);
    expect(planned.files).toBe(13);
    const shards = await buildShards();
    expect(shards.map((s) => s.chunks)).toEqual(planned.plan.parts.map((part) => part.chunks));
    await merge();
    const whole = await buildIndex(options({ outputDir: 'whole/index' }), quiet);
    if ('overflow' in encoder) expect(whole.long.extraWindows).toBeGreaterThan(31);
    expect(digests(join(root, 'out/index'))).toEqual(digests(join(root, 'whole/index')));
    expect(await verifyIndex(join(root, 'out/index'))).toMatchObject({ ok: true, docCount: 31 });
  });

  it('after one file changes, only that file’s shard plan changes; the rebuilt shard encodes only that file', async () => {
    const { root, options, plan, buildShards, merge } = await workspace();
    await plan();
    await buildShards();
    const planDir = join(root, 'out/index-shards/plan');
    const before = Object.fromEntries(readdirSync(planDir).map((f) => [f, sha(join(planDir, f))]));

    // File 7 (four chunks: ids 7, 107, 207 and 307) gets new text in every chunk.
    await writeCatalog(
      join(root, 'catalog.duckdb'),
      catalog((row) => (row.uri === 'src/f7.ts' ? { ...row, content: `${row.content}// edited\n` } : row)),
    );
    await plan();
    const after = Object.fromEntries(readdirSync(planDir).map((f) => [f, sha(join(planDir, f))]));
    const changed = Object.keys(after).filter((f) => after[f] !== before[f]);
    expect(changed).toHaveLength(2);
    expect(changed).toContain('xtr.plan.json');
    const shard = Number(/xtr\.shard-(\d+)\.json/.exec(changed.join(' '))?.[1]);

    const rebuilt = await buildIndex(options({ shard }), quiet);
    expect(rebuilt.reuse).toMatchObject({ encoded: 4, fromPrevious: rebuilt.chunks - 4 });
    await merge();
    await buildIndex(options({ outputDir: 'whole/index', full: true }), quiet);
    expect(digests(join(root, 'out/index'))).toEqual(digests(join(root, 'whole/index')));
  });

  it('refuses a shard built from another plan, and a shard whose chunks changed since the plan', async () => {
    const { root, options, plan, buildShards, merge } = await workspace();
    await plan();
    await buildShards();
    await writeCatalog(
      join(root, 'catalog.duckdb'),
      catalog((row) => ({ ...row, content: `${row.content}// all edited\n` })),
    );
    await expect(buildIndex(options({ shard: 0 }), quiet)).rejects.toThrow(
      /changed since shard 0's plan was made \(chunk \d+ has other content\)/,
    );
    await plan();
    await expect(merge()).rejects.toThrow(/Shard 0 at .* holds other chunks than the plan gives it/);
  });
});
