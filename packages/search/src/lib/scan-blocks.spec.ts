import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndexReader } from '@xtr-nx/storage';
import { DIM, writeIndex } from '../test-utils/random-index';
import { type ChunkBlock, scanBlocks } from './scan-blocks';

/** Row r of the test index holds the value r + 1 in every column. */
function rowValues(rows: number): Float32Array {
  const out = new Float32Array(rows * DIM);
  for (let r = 0; r < rows; r++) out.fill(r + 1, r * DIM, (r + 1) * DIM);
  return out;
}

/** The first column of each block row: which index row it holds. */
const firstColumn = (block: ChunkBlock) =>
  Array.from({ length: block.rows }, (_, r) => (block.data as Float32Array)[r * DIM]);

describe('scanBlocks', () => {
  let root: string;
  let reader: IndexReader;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'xtr-scan-'));
    // Chunks of 3, 0, 5 and 1 rows: index rows 1–3, none, 4–8, 9.
    await writeIndex(join(root, 'index'), 'float32', [1n, 2n, 3n, 4n], [3, 0, 5, 1], rowValues(9));
    reader = IndexReader.open(join(root, 'index'));
    reader.close();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function scan(positions: Int32Array | undefined, maxRows: number, groupRows?: number) {
    const blocks = [];
    for await (const block of scanBlocks(join(reader.dir, 'tokens.f32'), reader.meta, positions, {
      maxRows,
      groupRows,
    }))
      blocks.push({ rows: firstColumn(block), chunks: Array.from(block.chunks), starts: Array.from(block.starts) });
    return blocks;
  }

  it('reads whole chunks into blocks of at most maxRows rows, a longer chunk alone', async () => {
    expect(await scan(undefined, 4)).toEqual([
      { rows: [1, 2, 3], chunks: [0, 1], starts: [0, 3, 3] },
      { rows: [4, 5, 6, 7, 8], chunks: [2], starts: [0, 5] },
      { rows: [9], chunks: [3], starts: [0, 1] },
    ]);
  });

  it('pads each chunk to whole groups by repeating its last row', async () => {
    expect(await scan(undefined, 100, 4)).toEqual([
      {
        rows: [1, 2, 3, 3, 4, 5, 6, 7, 8, 8, 8, 8, 9, 9, 9, 9],
        chunks: [0, 1, 2, 3],
        starts: [0, 4, 4, 12, 16],
      },
    ]);
  });

  it('reads only the chunks asked for, padded alike', async () => {
    expect(await scan(Int32Array.of(0, 3), 100, 2)).toEqual([
      { rows: [1, 2, 3, 3, 9, 9], chunks: [0, 3], starts: [0, 4, 6] },
    ]);
  });
});
