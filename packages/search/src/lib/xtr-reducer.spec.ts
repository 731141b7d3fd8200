import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { searchWithNumpy } from '../test-utils/python';
import { DIM, randomIndex, randomQueries, writeIndex } from '../test-utils/random-index';
import { scoreQueries } from './score-queries';

/** The unit vector along axis `axis`. */
function unit(axis: number): Float32Array {
  const v = new Float32Array(DIM);
  v[axis] = 1;
  return v;
}

function rows(...vectors: Float32Array[]): Float32Array {
  const out = new Float32Array(vectors.length * DIM);
  vectors.forEach((v, i) => out.set(v, i * DIM));
  return out;
}

describe('scoreQueries in xtr mode', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'xtr-search-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    ['float16', 5, undefined],
    ['float32', 40, 700],
    ['float16', 100_000, 700],
  ] as const)('%s, k′ %s, block bytes %s: matches the numpy reference', async (dtype, tokenK, blockBytes) => {
    const { dir } = await randomIndex(root, dtype);
    const { queries, rowsPerQuery, file } = randomQueries(root);
    const ours = await scoreQueries(dir, queries, { k: 10, mode: 'xtr', tokenK, blockBytes });
    const numpy = await searchWithNumpy(dir, file, rowsPerQuery, { k: 10, mode: 'xtr', tokenK });
    ours.forEach((hits, q) => {
      expect(hits.map((hit) => hit.id.toString())).toEqual(numpy[q].top.map(([id]) => id));
      hits.forEach((hit, i) => expect(Math.abs(hit.score - numpy[q].top[i][1])).toBeLessThanOrEqual(1e-3));
    });
  });

  it('retrieves tokens among the candidates only, as the reference does', async () => {
    const { dir, ids } = await randomIndex(root, 'float32');
    const { queries, rowsPerQuery, file } = randomQueries(root);
    const candidates = [ids[3], ids[90], ids[3], ids[149], ids[40], 5n];
    const ours = await scoreQueries(dir, queries, { k: 10, mode: 'xtr', tokenK: 6, candidates });
    const numpy = await searchWithNumpy(dir, file, rowsPerQuery, { k: 10, mode: 'xtr', tokenK: 6, candidates });
    ours.forEach((hits, q) => {
      expect(hits.map((hit) => hit.id.toString())).toEqual(numpy[q].top.map(([id]) => id));
      hits.forEach((hit, i) => expect(Math.abs(hit.score - numpy[q].top[i][1])).toBeLessThanOrEqual(1e-3));
    });
  });

  it('imputes the k′-th product for query tokens that retrieved none of a chunk’s rows, and explains it', async () => {
    const dir = join(root, 'index');
    // id 10: rows e0, e1; id 20: row e2. Query rows e0, e2; k′ 2.
    await writeIndex(dir, 'float32', [10n, 20n], [2, 1], rows(unit(0), unit(1), unit(2)));
    // Query row e0 retrieves row 0 (1) and, of the rows at 0, the first: row 1; its k′-th product is 0.
    // Query row e2 retrieves row 2 (1) and row 0 (0); its k′-th product is 0.
    // id 10: (1 + 0) / 2 with row 0 matched twice; id 20: (imputed 0 + 1) / 2. Tie: lower id first.
    const [hits] = await scoreQueries(dir, [rows(unit(0), unit(2))], { k: 5, mode: 'xtr', tokenK: 2, explain: true });
    expect(hits).toEqual([
      {
        id: 10n,
        score: 0.5,
        rank: 1,
        matches: [
          { q_index: 0, doc_index: 0, similarity: 1 },
          { q_index: 1, doc_index: 0, similarity: 0 },
        ],
      },
      {
        id: 20n,
        score: 0.5,
        rank: 2,
        matches: [
          { q_index: 0, doc_index: null, similarity: 0 },
          { q_index: 1, doc_index: 0, similarity: 1 },
        ],
      },
    ]);
  });

  it('scores only chunks owning a retrieved row', async () => {
    const dir = join(root, 'index');
    await writeIndex(dir, 'float32', [1n, 2n, 3n], [1, 1, 1], rows(unit(0), unit(1), unit(2)));
    const [hits] = await scoreQueries(dir, [rows(unit(1))], { k: 5, mode: 'xtr', tokenK: 1 });
    expect(hits.map((hit) => [hit.id, hit.score])).toEqual([[2n, 1]]);
  });
});
