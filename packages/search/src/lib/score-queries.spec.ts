import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StorageError } from '@xtr-nx/storage';
import { searchWithNumpy } from '../test-utils/python';
import { DIM, randomIndex, randomQueries, seeded, writeIndex } from '../test-utils/random-index';
import { scoreQueries } from './score-queries';

describe('scoreQueries', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'xtr-search-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    ['float16', undefined],
    ['float32', undefined],
    ['float16', 700],
    ['float32', 700],
  ] as const)('%s, block bytes %s: matches numpy scores and top-k', async (dtype, blockBytes) => {
    const { dir } = await randomIndex(root, dtype);
    const { queries, rowsPerQuery, file } = randomQueries(root);
    const k = 10;
    const ours = await scoreQueries(dir, queries, { k, blockBytes });
    const numpy = await searchWithNumpy(dir, file, rowsPerQuery, { k });
    expect(ours).toHaveLength(queries.length);
    ours.forEach((hits, q) => {
      expect(hits.map((hit) => hit.id.toString())).toEqual(numpy[q].top.map(([id]) => id));
      expect(hits.map((hit) => hit.rank)).toEqual(Array.from({ length: k }, (_, i) => i + 1));
      hits.forEach((hit, i) => expect(Math.abs(hit.score - numpy[q].top[i][1])).toBeLessThanOrEqual(1e-3));
    });
  });

  it('scores every chunk when k exceeds the chunk count', async () => {
    const { dir, ids } = await randomIndex(root, 'float32');
    const { queries, rowsPerQuery, file } = randomQueries(root);
    const [ours] = await scoreQueries(dir, queries.slice(0, 1), { k: 1000 });
    const [numpy] = await searchWithNumpy(dir, file, rowsPerQuery.slice(0, 1), { k: 1000 });
    expect(ours).toHaveLength(ids.length);
    const byId = new Map(ours.map((hit) => [hit.id, hit.score]));
    ids.forEach((id) =>
      expect(Math.abs((byId.get(id) as number) - numpy.scores[id.toString()])).toBeLessThanOrEqual(1e-3),
    );
  });

  it('rescores candidates exactly as exhaustive scoring restricted to them', async () => {
    const { dir, ids } = await randomIndex(root, 'float16');
    const { queries } = randomQueries(root);
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
    const { dir } = await randomIndex(root, 'float32');
    const { queries } = randomQueries(root);
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

  it('explains each query token with the chunk row it matched best and their product', async () => {
    const dir = join(root, 'index');
    const row = (values: number[]) => Float32Array.from({ length: DIM }, (_, i) => values[i] ?? 0);
    const vectors = new Float32Array(3 * DIM);
    vectors.set(row([1, 0]), 0); // id 5, row 0
    vectors.set(row([0.6, 0.8]), DIM); // id 5, row 1
    vectors.set(row([0, 1]), 2 * DIM); // id 6, row 0
    await writeIndex(dir, 'float32', [5n, 6n], [2, 1], vectors);
    const query = new Float32Array(2 * DIM);
    query.set(row([2, 0]), 0); // normalised to (1, 0)
    query.set(row([0, 3]), DIM); // normalised to (0, 1)
    const [hits] = await scoreQueries(dir, [query], { k: 2, explain: true });
    expect(hits.map((hit) => hit.id)).toEqual([5n, 6n]);
    expect(hits[0].score).toBeCloseTo(1.8, 6);
    expect(hits[0].matches).toEqual([
      { q_index: 0, doc_index: 0, similarity: 1 },
      { q_index: 1, doc_index: 1, similarity: expect.closeTo(0.8, 6) },
    ]);
    expect(hits[1].matches).toEqual([
      { q_index: 0, doc_index: 0, similarity: 0 },
      { q_index: 1, doc_index: 0, similarity: 1 },
    ]);
  });

  it('keeps the first maxQueryTokens rows of each query, as the reference does', async () => {
    const { dir } = await randomIndex(root, 'float16');
    const { queries, rowsPerQuery, file } = randomQueries(root);
    const ours = await scoreQueries(dir, queries, { k: 5, maxQueryTokens: 2 });
    const numpy = await searchWithNumpy(dir, file, rowsPerQuery, { k: 5, maxQueryTokens: 2 });
    ours.forEach((hits, q) => {
      expect(hits.map((hit) => hit.id.toString())).toEqual(numpy[q].top.map(([id]) => id));
      hits.forEach((hit, i) => expect(Math.abs(hit.score - numpy[q].top[i][1])).toBeLessThanOrEqual(1e-3));
    });
  });

  it('rejects an unknown mode and a k′ or maxQueryTokens that is not a positive integer', async () => {
    const { dir } = await randomIndex(root, 'float32');
    const query = seeded(DIM, 1);
    await expect(scoreQueries(dir, [query], { k: 1, mode: 'colbert' as 'xtr' })).rejects.toThrow(
      'mode must be one of maxsim, xtr, got colbert.',
    );
    await expect(scoreQueries(dir, [query], { k: 1, mode: 'xtr', tokenK: 0 })).rejects.toThrow(
      'tokenK must be a positive integer, got 0.',
    );
    await expect(scoreQueries(dir, [query], { k: 1, maxQueryTokens: 2.5 })).rejects.toThrow(
      'maxQueryTokens must be a positive integer, got 2.5.',
    );
  });

  it('rejects a k that is not a positive integer', async () => {
    const { dir } = await randomIndex(root, 'float32');
    const query = seeded(DIM, 1);
    for (const k of [0, -3, 1.5, Number.NaN])
      await expect(scoreQueries(dir, [query], { k })).rejects.toThrow(/k must be a positive integer/);
  });

  it('rejects a query with no rows or the wrong width', async () => {
    const { dir } = await randomIndex(root, 'float32');
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
