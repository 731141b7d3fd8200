import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanTokens, type ScanOptions } from './scan-tokens';

describe('scanTokens', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xtr-scan-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function scan(name: string, bytes: Uint8Array, options: ScanOptions) {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const handle = await open(path, 'r');
    try {
      return await scanTokens(handle, bytes.length, options);
    } finally {
      await handle.close();
    }
  }

  // FIPS 180-2 test vectors.
  const vectors: [string, Uint8Array, string][] = [
    ['empty', new Uint8Array(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['"abc"', new TextEncoder().encode('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'a million "a"',
      new Uint8Array(1_000_000).fill(0x61),
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    ],
  ];
  const bothWays = vectors.flatMap(([what, bytes, sha]) =>
    [true, false].map((inWorker) => [what, inWorker, bytes, sha] as const),
  );
  it.each(bothWays)('hashes %s (worker thread: %s) over many reused blocks', async (what, hashInWorker, bytes, sha) => {
    const result = await scan(`${what}-${hashInWorker}`, bytes, { hashInWorker, blockBytes: 4096 });
    expect(result).toMatchObject({ sha256: sha, bytes: bytes.length });
  });

  it.each([true, false])('never overwrites a block before it is hashed (worker thread: %s)', async (hashInWorker) => {
    // Every block distinct, so a block read over one still being hashed changes the digest.
    const bytes = new Uint8Array(1 << 20).map((_, i) => (i * 2654435761) >>> 24);
    const whole = createHash('sha256').update(bytes).digest('hex');
    for (let round = 0; round < 5; round++) {
      expect((await scan(`distinct-${hashInWorker}`, bytes, { hashInWorker, blockBytes: 1024 })).sha256).toBe(whole);
    }
  });

  it.each([true, false])('checks rows that straddle blocks while hashing (worker thread: %s)', async (hashInWorker) => {
    const dim = 7;
    const bits = new Uint16Array(1000 * dim);
    for (let r = 0; r < 1000; r++) bits[r * dim + (r % dim)] = 0x3c00; // unit rows
    bits[5 * dim] = 0x4000; // row 5 gains a 2.0: norm √5
    bits[700 * dim + 6] = 0x7e00; // row 700: NaN
    const result = await scan(`rows-${hashInWorker}`, new Uint8Array(bits.buffer), {
      hashInWorker,
      blockBytes: 100,
      rows: { dtype: 'float16', dim, tolerance: 1e-2 },
    });
    expect(result.rows).toMatchObject({
      rows: 1000,
      nonFinite: { count: 1, examples: [700] },
      offNorm: { count: 1, examples: [{ row: 5, norm: Math.sqrt(5) }] },
    });
  });
});
