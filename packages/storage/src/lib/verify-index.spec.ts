import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndexWriter } from './index-writer';
import { type ExpectedChunks, verifyIndex } from './verify-index';

const DIM = 8;
const roots: string[] = [];

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function tempDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'xtr-verify-'));
  roots.push(root);
  return root;
}

interface IndexShape {
  readonly ids?: readonly bigint[];
  readonly dtype?: 'float16' | 'float32';
  /** Written to the manifest as encoder.normalized. */
  readonly normalized?: boolean;
  /** The one non-zero value of every row (1: unit rows). */
  readonly value?: number;
}

/**
 * An index of chunks (ids 10, 20, … unless given) with 1, 2, 3, 1, 2 … rows each, every row one
 * non-zero value, and what its catalog would stream.
 */
async function makeIndex({ ids: given, dtype = 'float16', normalized = true, value = 1 }: IndexShape = {}) {
  const dir = join(tempDir(), 'index');
  const ids = BigInt64Array.from(given ?? [10n, 20n, 30n, 40n, 50n]);
  const lengths = Int32Array.from(ids, (_, i) => 1 + (i % 3));
  const rows = lengths.reduce((a, b) => a + b, 0);
  const vectors = new Float32Array(rows * DIM);
  for (let r = 0; r < rows; r++) vectors[r * DIM + (r % DIM)] = value;
  const hashes = Array.from(ids, (id) => BigInt.asUintN(64, id * 1000n));
  const writer = await IndexWriter.create({ outDir: dir, dim: DIM, dtype });
  await writer.append(ids, lengths, vectors, hashes);
  await writer.commit({
    tool: { name: 't', version: '0' },
    encoder: { model: 'm', fingerprint: 'f', normalized },
    catalog: { path: 'c', table: 'chunks', nullIdsSkipped: 0, fingerprint: 'c' },
  });
  return { dir, ids: Array.from(ids), hashes };
}

function catalog(ids: bigint[], hashes: bigint[]): ExpectedChunks {
  return (async function* () {
    yield { ids: BigInt64Array.from(ids), contentHashes: hashes };
  })();
}

const META = 'index.meta.json';
const MANIFEST = 'xtr.manifest.json';
const TOKENS = 'tokens.f16';

/** Replaces one top-level value of the meta with raw JSON text (the meta is written on one line by formatMeta). */
const setMeta = (key: string, raw: string) => (dir: string) => {
  const text = readFileSync(join(dir, META), 'utf8');
  const edited = text.replace(new RegExp(`"${key}":(\\[[^\\]]*\\]|[^,}]*)`), `"${key}":${raw}`);
  if (edited === text) throw new Error(`test setup: no ${key} in ${text}`);
  writeFileSync(join(dir, META), edited);
};
const writeText = (name: string, text: string) => (dir: string) => writeFileSync(join(dir, name), text);
const editMetaText = (edit: (text: string) => string) => (dir: string) =>
  writeFileSync(join(dir, META), edit(readFileSync(join(dir, META), 'utf8')));
const editManifest = (edit: (manifest: Record<string, any>) => void) => (dir: string) => {
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
  edit(manifest);
  writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest));
};
const replaceWithFolder = (name: string) => (dir: string) => {
  rmSync(join(dir, name));
  mkdirSync(join(dir, name));
};
/** Overwrites the float16 value at row `row`, column `column`. */
const setHalf = (row: number, column: number, bits: number) => (dir: string) => {
  const bytes = readFileSync(join(dir, TOKENS));
  bytes.writeUInt16LE(bits, (row * DIM + column) * 2);
  writeFileSync(join(dir, TOKENS), bytes);
};

type Corruption = [string, (dir: string) => void, string | RegExp];

async function problemsAfter(corrupt: (dir: string) => void) {
  const { dir } = await makeIndex();
  corrupt(dir);
  const report = await verifyIndex(dir);
  expect(report.ok).toBe(false);
  return report.problems;
}

/** The exact sentence, or one matching the pattern (for sentences quoting the system's error text). */
const expectProblem = (problems: string[], expected: string | RegExp) =>
  expect(problems).toContainEqual(typeof expected === 'string' ? expected : expect.stringMatching(expected));

describe('verifyIndex', () => {
  it('passes a fresh index, with and without its catalog', async () => {
    const { dir, ids, hashes } = await makeIndex();
    expect(await verifyIndex(dir)).toMatchObject({ ok: true, problems: [], docCount: 5, totalTokens: 9 });
    expect((await verifyIndex(dir, { expected: catalog(ids, hashes) })).problems).toEqual([]);
  });

  it('passes ids at both ends of the 64-bit range and beyond 2^53, compared exactly with the catalog', async () => {
    const ids = [-(2n ** 63n), -1n, 0n, 2n ** 53n + 1n, 2n ** 63n - 1n];
    const { dir, hashes } = await makeIndex({ ids });
    expect((await verifyIndex(dir, { expected: catalog(ids, hashes) })).problems).toEqual([]);
    const off = await verifyIndex(dir, { expected: catalog([...ids.slice(0, 3), 2n ** 53n, ids[4]], hashes) });
    expect(off.problems).toContain('1 catalog chunk(s) are missing from the index, e.g. 9007199254740992.');
    expect(off.problems).toContain('1 indexed chunk(s) are not in the catalog, e.g. 9007199254740993.');
  });

  describe(`names each defect of ${META}`, () => {
    it.each<Corruption>([
      [
        'text that is not JSON',
        writeText(META, '{"dim":8,'),
        /^index\.meta\.json is not valid JSON \(.+\): rebuild the index\.$/,
      ],
      [
        'an array instead of an object',
        writeText(META, '[]'),
        'index.meta.json holds an array, not a JSON object: rebuild the index.',
      ],
      ['a folder in its place', replaceWithFolder(META), 'index.meta.json is a folder, not a file: rebuild the index.'],
      [
        'a missing key',
        editMetaText((text) => text.replace(/,"offsets":\[[^\]]*\]/, '')),
        'index.meta.json lacks offsets.',
      ],
      [
        'an extra key',
        editMetaText((text) => text.replace('{', '{"version":2,')),
        'index.meta.json has keys the Python reader does not expect: version.',
      ],
      [
        'an unknown dtype',
        setMeta('dtype', '"float64"'),
        'index.meta.json: dtype is "float64", expected "float16" or "float32".',
      ],
      ['dim as a string', setMeta('dim', '"8"'), 'index.meta.json: dim is "8", expected a positive integer.'],
      ['dim as an object', setMeta('dim', '{"n":8}'), 'index.meta.json: dim is {"n":8}, expected a positive integer.'],
      ['a fractional dim', setMeta('dim', '8.5'), 'index.meta.json: dim is 8.5, expected a positive integer.'],
      ['dim 0', setMeta('dim', '0'), 'index.meta.json: dim is 0, expected a positive integer.'],
      // Sized from the meta this would be a 38 GB buffer: the size check comes first, nothing is allocated.
      [
        'dim 2^31',
        setMeta('dim', '2147483648'),
        'tokens.f16 is 144 bytes, expected 38654705664 (total_tokens 9 × dim 2147483648 × 2 bytes).',
      ],
      [
        'negative total_tokens',
        setMeta('total_tokens', '-9'),
        'index.meta.json: total_tokens is -9, expected an integer ≥ 0.',
      ],
      [
        'total_tokens too large for a number',
        setMeta('total_tokens', '1e999'),
        'index.meta.json: total_tokens is Infinity, expected an integer ≥ 0.',
      ],
      [
        'doc_count as the string "NaN"',
        setMeta('doc_count', '"NaN"'),
        'index.meta.json: doc_count is "NaN", expected an integer ≥ 0.',
      ],
      [
        'doc_count that disagrees with the arrays',
        setMeta('doc_count', '6'),
        'chunk_ids has 5 entries but doc_count is 6.',
      ],
      [
        'offsets: null',
        setMeta('offsets', 'null'),
        'index.meta.json: offsets is null, expected an array of integers ≥ 0.',
      ],
      [
        'lengths that are not counts',
        setMeta('lengths', '[1,"2",3,-1,2.5]'),
        'index.meta.json: 3 lengths entry(s) are not integers ≥ 0, e.g. lengths[1] = "2", lengths[3] = -1, ' +
          'lengths[4] = 2.5.',
      ],
      [
        'a chunk with no rows',
        setMeta('lengths', '[1,0,3,1,2]'),
        'every chunk needs at least one token: lengths[1] = 0.',
      ],
      [
        'reordered offsets',
        setMeta('offsets', '[0,3,3,6,7]'),
        'offsets are not contiguous (offsets[i] must be offsets[i-1] + lengths[i-1]): offsets[1] = 3, expected 1, ' +
          'offsets[2] = 3, expected 5.',
      ],
      ['lengths that do not add up', setMeta('total_tokens', '10'), 'lengths sum to 9 but total_tokens is 10.'],
      [
        'chunk_ids: null',
        setMeta('chunk_ids', 'null'),
        'index.meta.json: chunk_ids is null, expected an array of 64-bit integers.',
      ],
      [
        'ids written as JSON strings',
        setMeta('chunk_ids', '["10","20",30,40,50]'),
        'index.meta.json: 2 chunk_ids entry(s) are JSON strings, not numbers (write 12, not "12"), e.g. chunk_ids[0] ' +
          '= "10", chunk_ids[1] = "20".',
      ],
      [
        'ids in exponent or decimal notation',
        setMeta('chunk_ids', '[1e1,20.0,30,40,50]'),
        'index.meta.json: 2 chunk_ids entry(s) are not written as plain integers (1e3, 1.0 and 1.5 are not ids), ' +
          'e.g. chunk_ids[0] = 1e1, chunk_ids[1] = 20.0.',
      ],
      [
        'an id beyond the 64-bit range',
        setMeta('chunk_ids', '[10,20,30,40,9223372036854775808]'),
        'index.meta.json: 1 chunk_ids entry(s) are outside the signed 64-bit range ' +
          '−9223372036854775808 … 9223372036854775807, e.g. chunk_ids[4] = 9223372036854775808.',
      ],
      [
        'an id that is null',
        setMeta('chunk_ids', '[10,null,30,40,50]'),
        'index.meta.json: 1 chunk_ids entry(s) are not numbers, e.g. chunk_ids[1] = null.',
      ],
      [
        'a duplicated id',
        setMeta('chunk_ids', '[10,20,20,40,50]'),
        'chunk_ids are not unique: 1 duplicate(s), e.g. 20.',
      ],
      [
        'ids out of order',
        setMeta('chunk_ids', '[25,20,30,40,50]'),
        'chunk_ids are not ascending: 20 after 25 at position 1.',
      ],
      [
        'a dim the manifest does not share',
        setMeta('dim', '4'),
        'xtr.manifest.json says dim 8 but index.meta.json says 4.',
      ],
    ])('%s', async (_, corrupt, expected) => expectProblem(await problemsAfter(corrupt), expected));
  });

  describe(`names each defect of ${MANIFEST}`, () => {
    it.each<Corruption>([
      [
        'text that is not JSON',
        writeText(MANIFEST, '{"dim": 8'),
        /^xtr\.manifest\.json is not valid JSON \(.+\): rebuild the index\.$/,
      ],
      [
        'null instead of an object',
        writeText(MANIFEST, 'null'),
        'xtr.manifest.json holds null, not a JSON object: rebuild the index.',
      ],
      [
        'a folder in its place',
        replaceWithFolder(MANIFEST),
        'xtr.manifest.json is a folder, not a file: rebuild the index.',
      ],
      [
        'no manifest at all',
        (dir) => rmSync(join(dir, MANIFEST)),
        'xtr.manifest.json is missing: the checksum and content hashes cannot be checked. Rebuild the index.',
      ],
      [
        'missing fields verify needs',
        editManifest((m) => {
          delete m.tokensSha256;
          delete m.contentHashes;
        }),
        'xtr.manifest.json lacks tokensSha256, contentHashes: rebuild the index.',
      ],
      [
        'formatVersion 1 (an older xtr)',
        editManifest((m) => (m.formatVersion = 1)),
        'xtr.manifest.json: formatVersion is 1, expected 2 (the only format this tool reads; rebuild an index from an older xtr).',
      ],
      [
        'dim as a string',
        editManifest((m) => (m.dim = '8')),
        'xtr.manifest.json: dim is "8", expected a positive integer.',
      ],
      [
        'an unknown dtype',
        editManifest((m) => (m.dtype = 'bfloat16')),
        'xtr.manifest.json: dtype is "bfloat16", expected "float16" or "float32".',
      ],
      [
        'a negative docCount',
        editManifest((m) => (m.docCount = -5)),
        'xtr.manifest.json: docCount is -5, expected an integer ≥ 0.',
      ],
      [
        'a docCount the meta does not share',
        editManifest((m) => (m.docCount = 4)),
        'xtr.manifest.json says docCount 4 but index.meta.json says 5.',
      ],
      [
        'a tokensFile that is not a string',
        editManifest((m) => (m.tokensFile = 7)),
        'xtr.manifest.json: tokensFile is 7, expected a file name.',
      ],
      [
        'a checksum that is not hex',
        editManifest((m) => (m.tokensSha256 = 'abc')),
        'xtr.manifest.json: tokensSha256 is "abc", expected 64 lowercase hex digits.',
      ],
      [
        'contentHashes: null',
        editManifest((m) => (m.contentHashes = null)),
        'xtr.manifest.json: contentHashes is null, expected an array of 32-hex-digit strings.',
      ],
      [
        'content hashes that are not 32 hex digits',
        editManifest((m) => m.contentHashes.splice(1, 4, 'xyz', m.contentHashes[2], 12, '00000000000000AB')),
        'xtr.manifest.json: 3 contentHashes entry(s) are not 32 lowercase hex digits, e.g. contentHashes[1] = "xyz", ' +
          'contentHashes[3] = 12, contentHashes[4] = "00000000000000AB".',
      ],
      [
        'a content hash too few',
        editManifest((m) => m.contentHashes.pop()),
        'xtr.manifest.json says contentHashes (count) 4 but index.meta.json says 5.',
      ],
      [
        'encoder as a string',
        editManifest((m) => (m.encoder = 'm')),
        'xtr.manifest.json: encoder is "m", expected an object.',
      ],
      [
        'encoder.normalized as a string',
        editManifest((m) => (m.encoder.normalized = 'yes')),
        'xtr.manifest.json: encoder.normalized is "yes", expected true or false.',
      ],
      [
        'a fractional catalog.nullIdsSkipped',
        editManifest((m) => (m.catalog.nullIdsSkipped = 0.5)),
        'xtr.manifest.json: catalog.nullIdsSkipped is 0.5, expected an integer ≥ 0.',
      ],
    ])('%s', async (_, corrupt, expected) => expectProblem(await problemsAfter(corrupt), expected));
  });

  describe(`names each defect of ${TOKENS}`, () => {
    it.each<Corruption>([
      [
        'a truncated file',
        (dir) => truncateSync(join(dir, TOKENS), 100),
        'tokens.f16 is 100 bytes, expected 144 (total_tokens 9 × dim 8 × 2 bytes).',
      ],
      [
        'trailing bytes',
        (dir) => appendFileSync(join(dir, TOKENS), Buffer.alloc(16)),
        'tokens.f16 is 160 bytes, expected 144 (total_tokens 9 × dim 8 × 2 bytes).',
      ],
      [
        'a flipped byte',
        setHalf(0, 1, 0x0001), // a tiny subnormal: the norm stays within tolerance, only the checksum notices
        'tokens.f16 does not match the checksum in xtr.manifest.json: the file was modified or corrupted after the ' +
          'build.',
      ],
      ['a NaN', setHalf(2, 0, 0x7e00), '1 row(s) hold NaN or Infinity, e.g. row 2 (chunk 20).'],
      ['an Infinity', setHalf(8, 3, 0xfc00), '1 row(s) hold NaN or Infinity, e.g. row 8 (chunk 50).'],
      [
        'a row that is not unit length',
        setHalf(4, 1, 0x3800),
        '1 row(s) are not unit length (tolerance 0.01), e.g. row 4 (chunk 30) has norm 1.1180.',
      ],
      ['no token file', (dir) => rmSync(join(dir, TOKENS)), 'tokens.f16 is missing for dtype float16.'],
      ['a folder in its place', replaceWithFolder(TOKENS), 'tokens.f16 is a folder, not a file: rebuild the index.'],
      [
        'a symbolic link to itself',
        (dir) => {
          rmSync(join(dir, TOKENS));
          symlinkSync(TOKENS, join(dir, TOKENS));
        },
        /^tokens\.f16 cannot be read \(ELOOP: .+\): check its permissions, or rebuild the index\.$/,
      ],
      [
        'a named pipe in its place (reading it would block)',
        (dir) => {
          rmSync(join(dir, TOKENS));
          execFileSync('mkfifo', [join(dir, TOKENS)]);
        },
        'tokens.f16 is not a regular file (a pipe, socket or device): rebuild the index.',
      ],
    ])('%s', async (_, corrupt, expected) => expectProblem(await problemsAfter(corrupt), expected));
  });

  describe('normalisation, as the manifest records it', () => {
    it('passes an index built without normalisation (rows of norm 2) but still names a NaN', async () => {
      const { dir } = await makeIndex({ normalized: false, value: 2 });
      expect((await verifyIndex(dir)).problems).toEqual([]);
      setHalf(3, 0, 0x7e00)(dir);
      const { problems } = await verifyIndex(dir);
      expect(problems).toContain('1 row(s) hold NaN or Infinity, e.g. row 3 (chunk 30).');
      expect(problems.filter((p) => p.includes('unit length'))).toEqual([]);
    });

    it('checks unit norms when the manifest predates encoder.normalized', async () => {
      const { dir } = await makeIndex({ normalized: false, value: 2 });
      editManifest((m) => delete m.encoder.normalized)(dir);
      expect((await verifyIndex(dir)).problems).toEqual([
        '9 row(s) are not unit length (tolerance 0.01), e.g. row 0 (chunk 10) has norm 2.0000, row 1 (chunk 20) has ' +
          'norm 2.0000, row 2 (chunk 20) has norm 2.0000, ….',
      ]);
    });

    it('holds float32 rows to 1e-4', async () => {
      const { dir } = await makeIndex({ dtype: 'float32', value: 1.001 });
      expect((await verifyIndex(dir)).problems).toEqual([
        '9 row(s) are not unit length (tolerance 0.0001), e.g. row 0 (chunk 10) has norm 1.0010, row 1 (chunk 20) ' +
          'has norm 1.0010, row 2 (chunk 20) has norm 1.0010, ….',
      ]);
      const close = await makeIndex({ dtype: 'float32', value: 1.00005 });
      expect((await verifyIndex(close.dir)).problems).toEqual([]);
    });
  });

  it('compares against the catalog: dropped, added and changed chunks', async () => {
    const { dir, ids, hashes } = await makeIndex();
    const dropped = await verifyIndex(dir, { expected: catalog(ids.slice(1), hashes.slice(1)) });
    expect(dropped.problems).toEqual(['1 indexed chunk(s) are not in the catalog, e.g. 10.']);
    const added = await verifyIndex(dir, { expected: catalog([...ids, 99n].reverse(), [...hashes, 99n].reverse()) });
    expect(added.problems).toEqual(['1 catalog chunk(s) are missing from the index, e.g. 99.']);
    const edited = await verifyIndex(dir, {
      expected: catalog(
        ids,
        hashes.map((h, i) => (i === 2 ? h + 1n : h)),
      ),
    });
    expect(edited.problems).toEqual(['1 chunk(s) have other content in the catalog than when indexed, e.g. 30.']);
  });

  it('reports a catalog that fails midway instead of throwing', async () => {
    const { dir } = await makeIndex();
    const failing: ExpectedChunks = (async function* () {
      yield { ids: BigInt64Array.from([10n]), contentHashes: [1n] };
      throw new Error('disk I/O error');
    })();
    expect((await verifyIndex(dir, { expected: failing })).problems).toEqual([
      'the expected chunks could not be read to the end (disk I/O error): the catalog comparison is incomplete.',
    ]);
  });

  it('never throws, whatever prefix of the meta or the manifest survived', async () => {
    const { dir } = await makeIndex();
    for (const name of [META, MANIFEST]) {
      const text = readFileSync(join(dir, name), 'utf8');
      // Every cut short of the closing brace leaves text that is not JSON.
      for (let cut = 0; cut < text.trimEnd().length; cut += name === META ? 1 : 7) {
        writeFileSync(join(dir, name), text.slice(0, cut));
        const report = await verifyIndex(dir);
        expect(report.ok).toBe(false);
        expect(report.problems.join('\n')).not.toMatch(/verify stopped early/);
      }
      writeFileSync(join(dir, name), text);
    }
    expect((await verifyIndex(dir)).ok).toBe(true);
  });

  it('reports a folder that is not an index', async () => {
    const result = await verifyIndex(tempDir());
    expect(result.problems).toEqual([expect.stringMatching(/index\.meta\.json is missing/)]);
  });

  it('reports a path that is a file, not a folder', async () => {
    const file = join(tempDir(), 'index');
    writeFileSync(file, 'not a folder');
    const result = await verifyIndex(file);
    expect(result.problems).toEqual([
      `index.meta.json is missing: ${file} is not an index (build it with nx run <project>:xtr-index).`,
    ]);
  });
});
