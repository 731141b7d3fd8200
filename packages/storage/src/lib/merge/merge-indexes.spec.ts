import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndexWriter, type ManifestInput } from '../index-writer';
import { type Dtype } from '../types';
import { mergeIndexes } from './merge-indexes';

const DIM = 6;
const MANIFEST: ManifestInput = {
  tool: { name: '@xtr-nx/storage', version: 'test' },
  encoder: { model: 'test', fingerprint: 'f', normalized: true },
  catalog: { path: 'c.duckdb', table: 'chunks', nullIdsSkipped: 0, fingerprint: 'c' },
};

/** Chunk `id`: `1 + id % 5` unit rows along axes that depend on the id, and a hash with both halves set. */
function chunk(id: number) {
  const length = 1 + (id % 5);
  const vectors = new Float32Array(length * DIM);
  for (let r = 0; r < length; r++) vectors[r * DIM + ((id + r) % DIM)] = 1;
  return { id: BigInt(id), length, vectors, hash: (BigInt(id) << 64n) | BigInt(id * 3) };
}

/** An index of `ids`, appended in the order given. */
async function writeIndex(outDir: string, ids: readonly number[], dtype: Dtype = 'float16') {
  const writer = await IndexWriter.create({ outDir, dim: DIM, dtype });
  for (const id of ids) {
    const c = chunk(id);
    await writer.append(BigInt64Array.of(c.id), Int32Array.of(c.length), c.vectors, [c.hash]);
  }
  return writer.commit(MANIFEST);
}

const FILES = ['tokens.f16', 'index.meta.json', 'xtr.manifest.json'];
const bytesOf = (dir: string) => FILES.map((file) => readFileSync(join(dir, file)).toString('base64'));

describe('mergeIndexes', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'xtr-merge-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('gives the bytes of one index of all the chunks, whatever the shards and their sizes', async () => {
    const all = Array.from({ length: 40 }, (_, i) => i * 7 + 1);
    await writeIndex(join(root, 'whole'), all);
    // Interleaved ids, one empty shard, one shard written out of id order.
    await writeIndex(
      join(root, 'a'),
      all.filter((_, i) => i % 3 === 0),
    );
    await writeIndex(join(root, 'b'), all.filter((_, i) => i % 3 === 1).reverse());
    await writeIndex(
      join(root, 'c'),
      all.filter((_, i) => i % 3 === 2),
    );
    await writeIndex(join(root, 'd'), []);
    const seen: bigint[] = [];
    const merged = await mergeIndexes(
      ['a', 'd', 'b', 'c'].map((s) => join(root, s)),
      () => MANIFEST,
      {
        outDir: join(root, 'merged'),
        onChunks: (ids) => seen.push(...ids),
      },
    );
    expect(merged).toMatchObject({ docCount: 40 });
    expect(bytesOf(join(root, 'merged'))).toEqual(bytesOf(join(root, 'whole')));
    expect(seen).toEqual(all.map(BigInt));
  });

  it('publishes nothing when a shard’s token file does not match its checksum', async () => {
    await writeIndex(join(root, 'a'), [1, 3, 5]);
    await writeIndex(join(root, 'b'), [2, 4]);
    const tokens = join(root, 'b/tokens.f16');
    const bytes = readFileSync(tokens);
    bytes[3] ^= 0x10;
    writeFileSync(tokens, bytes);
    await expect(
      mergeIndexes([join(root, 'a'), join(root, 'b')], () => MANIFEST, { outDir: join(root, 'merged') }),
    ).rejects.toThrow(`Shard ${join(root, 'b')}: its token file does not match the checksum in its manifest.`);
    expect(existsSync(join(root, 'merged'))).toBe(false);
  });

  it.each([
    ['a missing shard', async () => undefined, /Shard .*\/b is not a complete index: index.meta.json is missing/],
    [
      'shards of another dtype',
      (dir: string) => writeIndex(dir, [2], 'float32'),
      /differ \(6-wide float16 rows, not 6-wide float32\)/,
    ],
    ['a chunk in two shards', (dir: string) => writeIndex(dir, [2, 3]), /chunk id 3 occurs more than once/],
  ])('refuses %s', async (_case, makeB, message) => {
    await writeIndex(join(root, 'a'), [1, 3]);
    await makeB(join(root, 'b'));
    await expect(
      mergeIndexes([join(root, 'a'), join(root, 'b')], () => MANIFEST, { outDir: join(root, 'merged') }),
    ).rejects.toThrow(message);
    expect(existsSync(join(root, 'merged'))).toBe(false);
  });
});
