import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkIndexWithNumpy } from '../test-utils/python';
import { IndexWriter, type ManifestInput } from './index-writer';

const DIM = 4;
const MANIFEST: ManifestInput = {
  tool: { name: '@xtr-nx/storage', version: 'test' },
  encoder: { model: 'test', fingerprint: 'f', normalized: true },
  catalog: { path: 'c.duckdb', table: 'chunks', nullIdsSkipped: 0, fingerprint: 'c' },
};

/** `lengths.length` chunks of unit vectors, each row pointing along one axis. */
function batch(firstId: bigint, lengths: number[]) {
  const ids = BigInt64Array.from(lengths, (_, i) => firstId + BigInt(i));
  const rows = lengths.reduce((a, b) => a + b, 0);
  const vectors = new Float32Array(rows * DIM);
  for (let r = 0; r < rows; r++) vectors[r * DIM + (r % DIM)] = 1;
  // Content hashes with both 64-bit halves set, so a lost half shows.
  const hashes = lengths.map((_, i) => ((0xa0n + firstId + BigInt(i)) << 64n) | (firstId + BigInt(i)));
  return [ids, Int32Array.from(lengths), vectors, hashes] as const;
}

async function writeIndex(outDir: string, dtype: 'float16' | 'float32', ...batches: ReturnType<typeof batch>[]) {
  const writer = await IndexWriter.create({ outDir, dim: DIM, dtype });
  for (const b of batches) await writer.append(...b);
  return writer.commit(MANIFEST);
}

describe('IndexWriter', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'xtr-writer-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it.each(['float16', 'float32'] as const)('writes %s artifacts the Python reader loads', async (dtype) => {
    const outDir = join(root, 'index');
    const written = await writeIndex(outDir, dtype, batch(10n, [3, 1]), batch(12n, [2]));
    expect(written).toMatchObject({ docCount: 3, totalTokens: 6 });
    const checked = await checkIndexWithNumpy(outDir);
    expect(checked).toMatchObject({ dim: DIM, dtype, total_tokens: 6, doc_count: 3, first_id: 10, last_id: 12 });
    const meta = readFileSync(join(outDir, 'index.meta.json'), 'utf8');
    expect(meta).toBe(
      `{"dim":4,"dtype":"${dtype}","total_tokens":6,"doc_count":3,"chunk_ids":[10,11,12],"offsets":[0,3,4],"lengths":[3,1,2]}\n`,
    );
    expect(readdirSync(root)).toEqual(['index']);
  });

  it('keeps 64-bit chunk ids exact', async () => {
    const outDir = join(root, 'index');
    const big = 9007199254740993n; // 2^53 + 1: not a float64
    await writeIndex(outDir, 'float32', batch(big, [1, 1]));
    // Checked on the text: a JSON number parser could not tell …993 from …992.
    expect(readFileSync(join(outDir, 'index.meta.json'), 'utf8')).toContain(
      '"chunk_ids":[9007199254740993,9007199254740994]',
    );
    expect(await checkIndexWithNumpy(outDir)).toMatchObject({ first_id: Number(big) });
  });

  it('orders chunks that arrive out of id order, rows and hashes included', async () => {
    const outDir = join(root, 'index');
    const ascending = join(root, 'ascending');
    await writeIndex(ascending, 'float16', batch(1n, [2, 1]), batch(3n, [3, 1]));
    const writer = await IndexWriter.create({ outDir, dim: DIM, dtype: 'float16' });
    const [late, early] = [batch(3n, [3, 1]), batch(1n, [2, 1])];
    // Same chunks, other arrival order; vectors follow their chunks.
    await writer.append(...late);
    await writer.append(...early);
    await writer.commit(MANIFEST);
    const vectorsOf = (dir: string) => readFileSync(join(dir, 'tokens.f16'));
    const metaOf = (dir: string) => readFileSync(join(dir, 'index.meta.json'), 'utf8');
    expect(metaOf(outDir)).toBe(metaOf(ascending));
    const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'xtr.manifest.json'), 'utf8'));
    expect(manifest(outDir).contentHashes).toEqual([
      '00000000000000a10000000000000001',
      '00000000000000a20000000000000002',
      '00000000000000a30000000000000003',
      '00000000000000a40000000000000004',
    ]);
    expect(manifest(outDir).tokensSha256).toBe(manifest(ascending).tokensSha256);
    expect(readdirSync(outDir).sort()).toEqual(['index.meta.json', 'tokens.f16', 'xtr.manifest.json']);
    expect(vectorsOf(outDir).equals(vectorsOf(ascending))).toBe(true);
  });

  it('rejects a repeated id, wherever it arrives', async () => {
    const writer = await IndexWriter.create({ outDir: join(root, 'index'), dim: DIM, dtype: 'float16' });
    await writer.append(...batch(5n, [1, 1]));
    await writer.append(...batch(2n, [1, 1, 1, 1]));
    await expect(writer.commit(MANIFEST)).rejects.toThrow(/chunk id 5 occurs more than once; chunk ids must be unique/);
    await writer.abort();
    expect(readdirSync(root)).toEqual([]);
  });

  it('leaves the previous index untouched when a build is aborted', async () => {
    const outDir = join(root, 'index');
    await writeIndex(outDir, 'float16', batch(1n, [2]));
    const before = readFileSync(join(outDir, 'tokens.f16'));
    const writer = await IndexWriter.create({ outDir, dim: DIM, dtype: 'float16' });
    await writer.append(...batch(1n, [5, 5]));
    await writer.abort();
    expect(readFileSync(join(outDir, 'tokens.f16')).equals(before)).toBe(true);
    expect(readdirSync(root)).toEqual(['index']);
  });
});
