import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPythonScript } from '../test-utils/python';
import { IndexReader, maxSim } from './index-reader';
import { IndexWriter } from './index-writer';

const DIM = 16;

function seededUnitRows(rows: number, seed: number): Float32Array {
  let state = seed;
  const out = new Float32Array(rows * DIM).map(
    () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1,
  );
  for (let r = 0; r < rows; r++) {
    const row = out.subarray(r * DIM, (r + 1) * DIM);
    const norm = Math.hypot(...row);
    row.forEach((v, i) => (row[i] = v / norm));
  }
  return out;
}

describe('IndexReader', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  it.each(['float16', 'float32'] as const)(
    '%s: looks chunks up by id and scores MaxSim like the Python reader',
    async (dtype) => {
      const root = mkdtempSync(join(tmpdir(), 'xtr-reader-'));
      roots.push(root);
      const dir = join(root, 'index');
      const ids = BigInt64Array.from([3n, 8n, 12_000_000_000n, 9007199254740993n]);
      const lengths = Int32Array.from([5, 1, 7, 3]);
      const writer = await IndexWriter.create({ outDir: dir, dim: DIM, dtype });
      await writer.append(ids, lengths, seededUnitRows(16, 1), [1n, 2n, 3n, 4n]);
      await writer.commit({
        tool: { name: 't', version: '0' },
        encoder: { model: 'm', fingerprint: 'f', normalized: true },
        catalog: { path: 'c', table: 'chunks', nullIdsSkipped: 0, fingerprint: 'c' },
      });

      const reader = IndexReader.open(dir);
      expect(reader.locate(9007199254740993n)).toEqual({ index: 3, offset: 13, length: 3 });
      expect(reader.locate(4n)).toBeUndefined();
      expect(reader.chunkRows(8n)).toHaveLength(DIM);

      const query = seededUnitRows(4, 99);
      writeFileSync(join(dir, '..', 'query.f32'), query);
      const ours = Array.from(ids, (id) => maxSim(query, reader.chunkRows(id) as Float32Array, DIM));
      const python: number[] = JSON.parse(await runPythonScript('maxsim.py', [dir, join(dir, '..', 'query.f32'), '4']));
      expect(python).toHaveLength(4);
      python.forEach((score, i) => expect(Math.abs(score - ours[i])).toBeLessThanOrEqual(1e-3));
      reader.close();
    },
  );
});
