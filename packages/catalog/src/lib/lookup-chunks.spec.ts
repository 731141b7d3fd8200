import { join } from 'node:path';
import { runSql, useTempDir } from '../test-utils/fixtures';
import { lookupChunks } from './lookup-chunks';
import { openCatalog } from './open-catalog';
import { writeCatalog, type ChunkRow } from './write-catalog';

const row = (id: bigint, uri: string, startLine: number, preview: string): ChunkRow => ({
  id,
  uri,
  startLine,
  endLine: startLine + 39,
  startByte: 0,
  endByte: 10,
  preview,
  content: `text ${id}`,
  lang: 'typescript',
});

describe('lookupChunks', () => {
  const tempDir = useTempDir();

  it('returns uri, lines and preview of the ids the catalog holds, exact past 2^53', async () => {
    const path = join(tempDir(), 'c.duckdb');
    const big = 9007199254740993n;
    await writeCatalog(path, [row(1n, 'a.ts', 1, 'first'), row(big, 'b.ts', 41, 'second'), row(3n, 'c.ts', 81, '')]);
    const catalog = await openCatalog({ path });
    try {
      const found = await lookupChunks(catalog, [big, 404n, 3n]);
      expect([...found.keys()].sort()).toEqual([3n, big]);
      expect(found.get(big)).toEqual({
        uri: 'b.ts',
        startLine: 41,
        endLine: 80,
        preview: 'second',
        content: `text ${big}`,
      });
      expect(found.get(3n)).toEqual({ uri: 'c.ts', startLine: 81, endLine: 120, preview: '', content: 'text 3' });
      expect((await lookupChunks(catalog, [])).size).toBe(0);
    } finally {
      catalog.close();
    }
  });

  it('reads a column the catalog lacks as null', async () => {
    const path = join(tempDir(), 'c.duckdb');
    await runSql(path, [
      `CREATE TABLE chunks (id BIGINT, content VARCHAR, uri VARCHAR)`,
      `INSERT INTO chunks VALUES (7, 'x', 'z.ts')`,
    ]);
    const catalog = await openCatalog({ path });
    try {
      expect((await lookupChunks(catalog, [7n])).get(7n)).toEqual({
        uri: 'z.ts',
        startLine: null,
        endLine: null,
        preview: null,
        content: 'x',
      });
    } finally {
      catalog.close();
    }
  });
});
