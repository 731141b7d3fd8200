import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndexWriter } from './index-writer';
import { formatMeta, parseMeta } from './meta-json';
import { type ExpectedChunks, verifyIndex } from './verify-index';

const DIM = 8;

/** An index of `count` chunks (ids 10, 20, …) with unit rows, and what its catalog would stream. */
async function makeIndex(count = 5) {
  const dir = join(mkdtempSync(join(tmpdir(), 'xtr-verify-')), 'index');
  const ids = BigInt64Array.from({ length: count }, (_, i) => BigInt((i + 1) * 10));
  const lengths = Int32Array.from({ length: count }, (_, i) => 1 + (i % 3));
  const rows = lengths.reduce((a, b) => a + b, 0);
  const vectors = new Float32Array(rows * DIM);
  for (let r = 0; r < rows; r++) vectors[r * DIM + (r % DIM)] = 1;
  const hashes = Array.from(ids, (id) => id * 1000n);
  const writer = await IndexWriter.create({ outDir: dir, dim: DIM, dtype: 'float16' });
  await writer.append(ids, lengths, vectors, hashes);
  await writer.commit({
    tool: { name: 't', version: '0' },
    encoder: { model: 'm', fingerprint: 'f', normalized: true },
    catalog: { path: 'c', table: 'chunks', nullIdsSkipped: 0, fingerprint: 'c' },
  });
  return { dir, ids: Array.from(ids), hashes: hashes.map((h) => h.toString(16).padStart(16, '0')) };
}

function catalog(ids: bigint[], hashes: string[]): ExpectedChunks {
  return (async function* () {
    yield { ids: BigInt64Array.from(ids), contentHashes: hashes };
  })();
}

const tokens = (dir: string) => join(dir, 'tokens.f16');
const editMeta = (dir: string, edit: (meta: ReturnType<typeof parseMeta>) => void) => {
  const meta = parseMeta(readFileSync(join(dir, 'index.meta.json'), 'utf8'));
  edit(meta);
  writeFileSync(join(dir, 'index.meta.json'), formatMeta(meta));
};

describe('verifyIndex', () => {
  it('passes a fresh index, with and without its catalog', async () => {
    const { dir, ids, hashes } = await makeIndex();
    expect(await verifyIndex(dir)).toMatchObject({ ok: true, problems: [], docCount: 5, totalTokens: 9 });
    expect((await verifyIndex(dir, { expected: catalog(ids, hashes) })).problems).toEqual([]);
  });

  it.each<[string, (dir: string) => void, RegExp]>([
    ['a truncated token file', (dir) => truncateSync(tokens(dir), 100), /tokens\.f16 is 100 bytes, expected 144 \(total_tokens 9 × dim 8 × 2 bytes\)/],
    [
      'a flipped byte',
      (dir) => {
        const bytes = readFileSync(tokens(dir));
        bytes[3] ^= 0x01;
        writeFileSync(tokens(dir), bytes);
      },
      /tokens\.f16 does not match the checksum in xtr\.manifest\.json/,
    ],
    [
      'reordered offsets',
      (dir) => editMeta(dir, (m) => ((m.offsets as number[])[1] = 3)),
      /offsets are not contiguous \(offsets\[i\] must be offsets\[i-1\] \+ lengths\[i-1\]\): offsets\[1\] = 3, expected 1/,
    ],
    ['a duplicated id', (dir) => editMeta(dir, (m) => ((m.chunk_ids as bigint[])[2] = 20n)), /chunk_ids are not unique: 1 duplicate\(s\), e\.g\. 20/],
    ['ids out of order', (dir) => editMeta(dir, (m) => ((m.chunk_ids as bigint[])[0] = 25n)), /chunk_ids are not ascending: 20 after 25 at position 1/],
    [
      'a NaN',
      (dir) => {
        const bytes = readFileSync(tokens(dir));
        bytes.writeUInt16LE(0x7e00, 2 * DIM * 2); // row 2, first value
        writeFileSync(tokens(dir), bytes);
      },
      /1 row\(s\) hold NaN or Infinity, e\.g\. row 2 \(chunk 20\)/,
    ],
    [
      'a row that is not unit length',
      (dir) => {
        const bytes = readFileSync(tokens(dir));
        bytes.writeUInt16LE(0x3800, 4 * DIM * 2 + 2); // 0.5 added to row 4
        writeFileSync(tokens(dir), bytes);
      },
      /1 row\(s\) are not unit length \(tolerance 0\.01\), e\.g\. row 4 \(chunk 30\) has norm 1\.1180/,
    ],
    ['a meta that disagrees with the manifest', (dir) => editMeta(dir, (m) => (m.dim = 4)), /xtr\.manifest\.json says dim 8 but index\.meta\.json says 4/],
    ['a missing manifest', (dir) => rmSync(join(dir, 'xtr.manifest.json')), /xtr\.manifest\.json is missing/],
    ['an extra meta key', (dir) => writeFileSync(join(dir, 'index.meta.json'), readFileSync(join(dir, 'index.meta.json'), 'utf8').replace('{', '{"version":2,')), /keys the Python reader does not expect: version/],
  ])('names %s', async (_, corrupt, message) => {
    const { dir } = await makeIndex();
    corrupt(dir);
    const result = await verifyIndex(dir);
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(message);
  });

  it('compares against the catalog: dropped, added and changed chunks', async () => {
    const { dir, ids, hashes } = await makeIndex();
    const dropped = await verifyIndex(dir, { expected: catalog(ids.slice(1), hashes.slice(1)) });
    expect(dropped.problems).toEqual(['1 indexed chunk(s) are not in the catalog, e.g. 10.']);
    const added = await verifyIndex(dir, { expected: catalog([...ids, 99n].reverse(), [...hashes, 'h99'].reverse()) });
    expect(added.problems).toEqual(['1 catalog chunk(s) are missing from the index, e.g. 99.']);
    const edited = await verifyIndex(dir, { expected: catalog(ids, hashes.map((h, i) => (i === 2 ? 'other' : h))) });
    expect(edited.problems).toEqual(['1 chunk(s) have other content in the catalog than when indexed, e.g. 30.']);
  });

  it('reports a folder that is not an index', async () => {
    const result = await verifyIndex(mkdtempSync(join(tmpdir(), 'xtr-empty-')));
    expect(result.problems).toEqual([expect.stringMatching(/index\.meta\.json is missing/)]);
  });
});
