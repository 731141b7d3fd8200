import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runSql, useTempDir } from '../test-utils/fixtures';
import { openCatalog } from './open-catalog';
import { countChunks, streamChunks } from './stream-chunks';
import type { ChunkBatch, StreamStats } from './types';
import { writeCatalog, type ChunkRow } from './write-catalog';

const row = (id: bigint | null, content: string | null): ChunkRow => ({
  id,
  uri: `file${id}.ts`,
  startLine: 1,
  endLine: 2,
  startByte: 0,
  endByte: 10,
  preview: '',
  content,
  lang: 'typescript',
});

async function collect(path: string, batchSize: number, table?: string) {
  const catalog = await openCatalog({ path, table });
  const stats: StreamStats = { rows: 0, nullIds: 0 };
  const batches: ChunkBatch[] = [];
  try {
    for await (const batch of streamChunks(catalog, stats, { batchSize })) batches.push(batch);
    return { batches, stats, count: await countChunks(catalog) };
  } finally {
    catalog.close();
  }
}

describe('streamChunks', () => {
  const tempDir = useTempDir();
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });

  it('streams every row in storage order in bounded batches, skipping NULL ids', async () => {
    const path = join(dir, 'c.duckdb');
    // 5000 rows span three DuckDB vectors; inserted in descending id order, streamed as stored.
    const rows = Array.from({ length: 5000 }, (_, i) => row(BigInt(5000 - i), `chunk ${5000 - i}`));
    await writeCatalog(path, [...rows, row(null, 'orphan'), row(null, null)]);
    const { batches, stats, count } = await collect(path, 300);
    expect(count).toBe(5000);
    expect(stats).toEqual({ rows: 5000, nullIds: 2 });
    expect(batches.every((b) => b.ids.length <= 300)).toBe(true);
    const ids = batches.flatMap((b) => Array.from(b.ids));
    expect(ids).toEqual(Array.from({ length: 5000 }, (_, i) => BigInt(5000 - i)));
    expect(batches[0].contents[0]).toBe('chunk 5000');
  });

  it('turns NULL content into an empty string and keeps 64-bit ids exact', async () => {
    const path = join(dir, 'c.duckdb');
    await writeCatalog(path, [row(9223372036854775807n, null), row(-5n, 'neg')]);
    const { batches } = await collect(path, 10);
    expect(Array.from(batches[0].ids)).toEqual([9223372036854775807n, -5n]);
    expect(batches[0].contents).toEqual(['', 'neg']);
  });

  it('reads only the chunks asked for, by exact 64-bit id, with their uris when asked', async () => {
    const path = join(dir, 'c.duckdb');
    const big = 9223372036854775807n;
    await writeCatalog(path, [row(1n, 'a'), row(2n, 'b'), row(big, 'c'), row(4n, 'd'), row(5n, 'e')]);
    const catalog = await openCatalog({ path });
    try {
      const stats: StreamStats = { rows: 0, nullIds: 0 };
      const batches: ChunkBatch[] = [];
      const ids = BigInt64Array.of(big, 4n, 1n, 99n);
      for await (const batch of streamChunks(catalog, stats, { ids, uris: true })) batches.push(batch);
      // A join: rows come in no particular order.
      const rows = batches.flatMap((b) => [...b.ids].map((id, i) => [id, b.contents[i], b.uris?.[i]]));
      expect(rows.sort((x, y) => String(x[1]).localeCompare(String(y[1])))).toEqual([
        [1n, 'a', 'file1.ts'],
        [big, 'c', `file${big}.ts`],
        [4n, 'd', 'file4.ts'],
      ]);
      expect(stats.rows).toBe(3);
    } finally {
      catalog.close();
    }
  });

  it('reads a view over the chunks, as Parquet-backed catalogs are', async () => {
    const path = join(dir, 'c.duckdb');
    await writeCatalog(path, [row(1n, 'a'), row(2n, 'b')]);
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run('CREATE VIEW recent AS SELECT * FROM chunks WHERE id > 1');
    connection.closeSync();
    instance.closeSync();
    const { batches } = await collect(path, 10, 'recent');
    expect(batches[0].contents).toEqual(['b']);
  });

  it.each([
    ['a missing file', (d: string) => join(d, 'absent.duckdb'), /Catalog not found: .*absent\.duckdb/],
    [
      'a file that is not DuckDB',
      (d: string) => {
        writeFileSync(join(d, 'bad.duckdb'), 'not a database');
        return join(d, 'bad.duckdb');
      },
      /Catalog .*bad\.duckdb: cannot open it as a DuckDB database/,
    ],
  ])('explains %s', async (_, makePath, message) => {
    await expect(openCatalog({ path: makePath(dir) })).rejects.toThrow(message);
  });

  it('explains a missing table, listing the ones that exist, and missing columns', async () => {
    const path = join(dir, 'c.duckdb');
    await writeCatalog(path, [row(1n, 'a')]);
    await runSql(path, [
      'CREATE TABLE slim AS SELECT id FROM chunks',
      'CREATE SCHEMA old',
      'CREATE VIEW old.chunks AS SELECT 1',
    ]);
    await expect(openCatalog({ path, table: 'nope' })).rejects.toThrow(
      /has no table or view "nope" \(it has chunks, slim, old\.chunks\)\. Create it with the chunks schema/,
    );
    await expect(openCatalog({ path, table: 'slim' })).rejects.toThrow(/lacks column\(s\) content \(it has id\)/);
  });

  it('caps DuckDB memory, names the setting when a read runs out of it, and rejects a bad size', async () => {
    const path = join(dir, 'c.duckdb');
    // One DuckDB vector holds all 40 rows: 20 MiB of text.
    await writeCatalog(
      path,
      Array.from({ length: 40 }, (_, i) => row(BigInt(i + 1), `${i % 10}`.repeat(1 << 19))),
    );
    const catalog = await openCatalog({ path });
    try {
      const reader = await catalog.connection.runAndReadAll("SELECT current_setting('memory_limit')");
      expect(reader.getColumns()[0][0]).toBe('244.1 MiB');
    } finally {
      catalog.close();
    }
    await expect(collect(path, 8)).resolves.toMatchObject({ count: 40 });
    const tight = await openCatalog({ path, memoryLimit: '4MB' });
    try {
      await expect(streamChunks(tight, { rows: 0, nullIds: 0 }).next()).rejects.toThrow(
        /out of its 4MB memory limit: raise "catalog\.memoryLimit" in xtr\.config\.json/,
      );
    } finally {
      tight.close();
    }
    await expect(openCatalog({ path, memoryLimit: 'lots' })).rejects.toThrow(
      /"catalog\.memoryLimit" is "lots": use a DuckDB size such as "256MB"/,
    );
  });
});
