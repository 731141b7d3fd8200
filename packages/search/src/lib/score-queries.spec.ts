import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndexWriter, StorageError } from '@xtr-nx/storage';
import { maxSimWithNumpy } from '../test-utils/python';
import { scoreQueries } from './score-queries';

const DIM = 16;
const MANIFEST = {
  tool: { name: '@xtr-nx/search', version: 'test' },
  encoder: { model: 'test', fingerprint: 'f', normalized: false },
  catalog: { path: 'c.duckdb', table: 'chunks', nullIdsSkipped: 0, fingerprint: 'c' },
};

/** Deterministic values in [-1, 1). */
function seeded(count: number, seed: number): Float32Array {
  let state = seed >>> 0;
  return new Float32Array(count).map(
    () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1,
  );
}

async function writeIndex(
  outDir: string,
  dtype: 'float16' | 'float32',
  ids: bigint[],
  lengths: number[],
  vectors: Float32Array,
): Promise<void> {
  const writer = await IndexWriter.create({ outDir, dim: DIM, dtype });
  await writer.append(
    BigInt64Array.from(ids),
    Int32Array.from(lengths),
    vectors,
    ids.map((id) => id + 1n),
  );
  await writer.commit(MANIFEST);
}

describe('scoreQueries', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'xtr-search-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** 150 chunks of 1..12 random rows, ids spread out and one past 2^53. */
  async function randomIndex(dtype: 'float16' | 'float32') {
    const dir = join(root, 'index');
    const lengths = Array.from({ length: 150 }, (_, i) => 1 + ((i * 7 + 3) % 12));
    const ids = lengths.map((_, i) => BigInt(i) * 1000n + 7n);
    ids[ids.length - 1] = 9007199254740993n;
    const rows = lengths.reduce((a, b) => a + b, 0);
    await writeIndex(dir, dtype, ids, lengths, seeded(rows * DIM, 42));
    return { dir, ids };
  }

  /** 24 queries of 1..8 rows, not normalised (the scorer normalises). */
  function randomQueries() {
    const rowsPerQuery = Array.from({ length: 24 }, (_, q) => 1 + ((q * 5) % 8));
    const queries = rowsPerQuery.map((rows, q) => seeded(rows * DIM, 1000 + q).map((v) => v * (1 + q)));
    const file = join(root, 'queries.f32');
    const stacked = new Float32Array(rowsPerQuery.reduce((a, b) => a + b, 0) * DIM);
    let at = 0;
    for (const query of queries) {
      stacked.set(query, at);
      at += query.length;
    }
    writeFileSync(file, stacked);
    return { queries, rowsPerQuery, file };
  }

  it.each([
    ['float16', undefined],
    ['float32', undefined],
    ['float16', 700],
    ['float32', 700],
  ] as const)('%s, block bytes %s: matches numpy scores and top-k', async (dtype, blockBytes) => {
    const { dir } = await randomIndex(dtype);
    const { queries, rowsPerQuery, file } = randomQueries();
    const k = 10;
    const ours = await scoreQueries(dir, queries, { k, blockBytes });
    const numpy = await maxSimWithNumpy(dir, file, rowsPerQuery, k);
    expect(ours).toHaveLength(queries.length);
    ours.forEach((hits, q) => {
      expect(hits.map((hit) => hit.id.toString())).toEqual(numpy[q].top.map(([id]) => id));
      expect(hits.map((hit) => hit.rank)).toEqual(Array.from({ length: k }, (_, i) => i + 1));
      hits.forEach((hit, i) => expect(Math.abs(hit.score - numpy[q].top[i][1])).toBeLessThanOrEqual(1e-3));
    });
  });

  it('scores every chunk when k exceeds the chunk count', async () => {
    const { dir, ids } = await randomIndex('float32');
    const { queries, rowsPerQuery, file } = randomQueries();
    const [ours] = await scoreQueries(dir, queries.slice(0, 1), { k: 1000 });
    const [numpy] = await maxSimWithNumpy(dir, file, rowsPerQuery.slice(0, 1), 1000);
    expect(ours).toHaveLength(ids.length);
    const byId = new Map(ours.map((hit) => [hit.id, hit.score]));
    ids.forEach((id, i) => expect(Math.abs((byId.get(id) as number) - numpy.scores[i])).toBeLessThanOrEqual(1e-3));
  });

  it('rescores candidates exactly as exhaustive scoring restricted to them', async () => {
    const { dir, ids } = await randomIndex('float16');
    const { queries } = randomQueries();
    const all = await scoreQueries(dir, queries, { k: ids.length });
    const picked = [ids[140], ids[3], ids[77], ids[3], 123456789n, ids[149], ids[0], ids[78]];
    const kept = new Set([ids[140], ids[3], ids[77], ids[149], ids[0], ids[78]]);
    for (const blockBytes of [undefined, 64, 5000]) {
      const rescored = await scoreQueries(dir, queries, { k: 4, candidates: picked, blockBytes });
      rescored.forEach((hits, q) => {
        const expected = all[q]
          .filter((hit) => kept.has(hit.id))
          .slice(0, 4)
          .map((hit, i) => ({ ...hit, rank: i + 1 }));
        expect(hits).toEqual(expected);
      });
    }
  });

  it('returns empty hit lists when no candidate is in the index', async () => {
    const { dir } = await randomIndex('float32');
    const { queries } = randomQueries();
    expect(await scoreQueries(dir, queries.slice(0, 2), { k: 3, candidates: [1n, 2n] })).toEqual([[], []]);
  });

  it('breaks ties by ascending id', async () => {
    const dir = join(root, 'index');
    const same = seeded(2 * DIM, 5);
    const other = seeded(DIM, 6);
    const vectors = new Float32Array(7 * DIM);
    vectors.set(other, 0); // id 2: one row
    vectors.set(same, DIM); // id 4: two rows
    vectors.set(same, 3 * DIM); // id 6: the same two rows
    vectors.set(same, 5 * DIM); // id 9: the same two rows
    await writeIndex(dir, 'float32', [2n, 4n, 6n, 9n], [1, 2, 2, 2], vectors);
    const query = same.slice(0, DIM);
    const [top] = await scoreQueries(dir, [query], { k: 2 });
    expect(top.map((hit) => hit.id)).toEqual([4n, 6n]);
    expect(top[0].score).toBe(top[1].score);
    const [rescored] = await scoreQueries(dir, [query], { k: 5, candidates: [9n, 6n] });
    expect(rescored.map((hit) => hit.id)).toEqual([6n, 9n]);
    expect(rescored.map((hit) => hit.rank)).toEqual([1, 2]);
  });

  it('rejects a k that is not a positive integer', async () => {
    const { dir } = await randomIndex('float32');
    const query = seeded(DIM, 1);
    for (const k of [0, -3, 1.5, Number.NaN])
      await expect(scoreQueries(dir, [query], { k })).rejects.toThrow(/k must be a positive integer/);
  });

  it('rejects a query with no rows or the wrong width', async () => {
    const { dir } = await randomIndex('float32');
    const good = seeded(DIM, 1);
    await expect(scoreQueries(dir, [good, new Float32Array(0)], { k: 1 })).rejects.toThrow(/Query 1 has no rows/);
    await expect(scoreQueries(dir, [seeded(DIM + 3, 1)], { k: 1 })).rejects.toThrow(
      /Query 0 has 19 values, not a whole number of rows of the index's width 16/,
    );
  });

  it('rejects a folder that is not an index with the storage error', async () => {
    const promise = scoreQueries(root, [seeded(DIM, 1)], { k: 1 });
    await expect(promise).rejects.toThrow(StorageError);
    await expect(promise).rejects.toThrow(/index\.meta\.json is missing/);
  });
});
