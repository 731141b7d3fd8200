import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogFingerprint, contentHash } from './fingerprint';
import { openCatalog } from './open-catalog';
import { fingerprintCatalog } from './stream-chunks';
import { writeCatalog } from './write-catalog';

const row = (id: bigint, content: string) => ({
  id,
  uri: 'u',
  startLine: 1,
  endLine: 1,
  startByte: 0,
  endByte: 1,
  preview: '',
  content,
  lang: 'ts',
});

async function fingerprintOf(rows: ReturnType<typeof row>[]) {
  const dir = mkdtempSync(join(tmpdir(), 'xtr-fp-'));
  try {
    const path = join(dir, 'c.duckdb');
    await writeCatalog(path, rows);
    const catalog = await openCatalog({ path });
    try {
      return (await fingerprintCatalog(catalog)).fingerprint;
    } finally {
      catalog.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('catalog fingerprint', () => {
  const rows = [row(1n, 'a'), row(2n, 'b'), row(3n, 'c')];

  it('depends on the rows, not on their physical order', async () => {
    const base = await fingerprintOf(rows);
    expect(await fingerprintOf([...rows].reverse())).toBe(base);
    expect(await fingerprintOf([row(1n, 'a'), row(2n, 'B'), row(3n, 'c')])).not.toBe(base);
    expect(await fingerprintOf([row(1n, 'a'), row(2n, 'b'), row(4n, 'c')])).not.toBe(base);
    expect(await fingerprintOf(rows.slice(0, 2))).not.toBe(base);
    expect(await fingerprintOf([...rows, row(2n, 'b')])).not.toBe(base);
  });

  it('hashes content to the first 128 bits of its SHA-256', () => {
    // sha256('') = e3b0c442 98fc1c14 9afbf4c8 996fb924 27ae41e4 …
    expect(contentHash('')).toBe(0xe3b0c44298fc1c149afbf4c8996fb924n);
  });

  // Expected digests computed with Python's hashlib from the documented recipe: per row
  // sha256("<id>:<content hash as decimal>"), first 16 bytes summed mod 2^128, then
  // sha256("xtr-catalog-v1:<rows>:<sum in hex>"). A change here changes every cache key.
  it('is the documented digest, byte for byte', async () => {
    expect(await fingerprintOf(rows)).toBe('4d787786a4356ab58ebe8f80b35b4ad25f6cc201bf5331a5ee9ec47189cc4c6c');
    expect(new CatalogFingerprint().digest()).toBe('178089eaf2cd6e3ba982fad01a74ed17c6657e1abaf9900377575cf412e93426');
  });
});
