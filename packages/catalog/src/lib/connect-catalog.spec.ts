import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCatalog } from './open-catalog';
import { countChunks } from './stream-chunks';
import { readAll, useTempDir, writeParquet } from '../test-utils/fixtures';

describe('Parquet catalogs', () => {
  const dir = useTempDir();

  it('reads a Parquet file given as the catalog', async () => {
    const path = join(dir(), 'chunks.parquet');
    await writeParquet(path, "SELECT * FROM (VALUES (2::BIGINT, 'two'), (1::BIGINT, 'one')) t(id, content)");
    expect(await readAll({ path })).toEqual({ ids: [2n, 1n], contents: ['two', 'one'] });
  });

  it('reads every Parquet file a glob matches, under the table name asked for', async () => {
    mkdirSync(join(dir(), 'parts'));
    await writeParquet(join(dir(), 'parts', 'a.parquet'), "SELECT 1::BIGINT AS id, 'a' AS content");
    await writeParquet(join(dir(), 'parts', 'b.parquet'), "SELECT 2::BIGINT AS id, 'b' AS content");
    const { ids } = await readAll({ path: join(dir(), 'parts', '*.parquet'), table: 'recent' });
    expect(ids.sort()).toEqual([1n, 2n]);
  });

  it('names the file when it disappears after the catalog was opened', async () => {
    const path = join(dir(), 'chunks.parquet');
    await writeParquet(path, "SELECT 1::BIGINT AS id, 'a' AS content");
    const catalog = await openCatalog({ path });
    try {
      rmSync(path);
      await expect(countChunks(catalog)).rejects.toThrow(
        /^Catalog .*chunks\.parquet: counting the rows of "chunks" failed: IO Error: .*chunks\.parquet/,
      );
    } finally {
      catalog.close();
    }
  });

  it('names a glob that matches no file', async () => {
    await expect(openCatalog({ path: join(dir(), 'parts', '*.parquet') })).rejects.toThrow(
      /^Catalog .*parts\/\*\.parquet: no file matches it\. Point "catalog\.path" at existing Parquet files/,
    );
  });

  it('explains a .parquet file that is not Parquet', async () => {
    const path = join(dir(), 'chunks.parquet');
    writeFileSync(path, 'not parquet at all');
    await expect(openCatalog({ path })).rejects.toThrow(
      /^Catalog .*chunks\.parquet: cannot read it as Parquet: .*magic bytes/,
    );
  });
});
