import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogFingerprint, contentHash, formatContentHash } from './fingerprint';
import { openCatalog } from './open-catalog';
import { fingerprintCatalog } from './stream-chunks';
import { writeCatalog } from './write-catalog';

const row = (id: bigint, content: string) => ({ id, uri: 'u', startLine: 1, endLine: 1, startByte: 0, endByte: 1, preview: '', content, lang: 'ts' });

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

  it('hashes content to 64 bits, printed as 16 hex digits', () => {
    expect(formatContentHash(contentHash(''))).toBe('e3b0c44298fc1c14');
    const fp = new CatalogFingerprint();
    expect(fp.digest()).toMatch(/^[0-9a-f]{64}$/);
  });
});
