import { join } from 'node:path';
import { openCatalog } from './open-catalog';
import { CatalogError } from './types';
import { rejectionOf, runSql, useTempDir } from '../test-utils/fixtures';

describe('DuckDB extensions', () => {
  const dir = useTempDir();

  /**
   * A catalog whose `chunks` view calls `fn`, a function of an extension @duckdb/node-api does not
   * build in. A macro of that name stands in while the view is created and is dropped after, as if
   * the catalog had been written by a DuckDB with the extension loaded.
   */
  async function catalogCalling(fn: string, macro: string, view: string) {
    const path = join(dir(), 'c.duckdb');
    const drop = `DROP MACRO ${/AS TABLE/.test(macro) ? 'TABLE ' : ''}${fn}`;
    await runSql(path, [macro, `CREATE VIEW chunks AS ${view}`, drop]);
    return path;
  }

  it.each([
    [
      'sqlite_scanner',
      'sqlite_scan',
      "CREATE MACRO sqlite_scan(file, tbl) AS TABLE SELECT 1::BIGINT AS id, 'x' AS content",
      "SELECT * FROM sqlite_scan('chunks.db', 'chunks')",
    ],
    [
      'spatial',
      'st_point',
      'CREATE MACRO st_point(x, y) AS x + y',
      "SELECT st_point(1, 2)::BIGINT AS id, 'x' AS content",
    ],
  ])('a catalog needing an extension (%s) is refused, and nothing is installed', async (extension, fn, macro, view) => {
    const error = await rejectionOf(openCatalog({ path: await catalogCalling(fn, macro, view) }));
    expect(error).toBeInstanceOf(CatalogError);
    expect(error.message).toMatch(
      new RegExp(
        `reading "chunks" needs the DuckDB extension "${extension}", .*xtr never installs or loads extensions`,
      ),
    );
    // DuckDB failed at binding, before any install: with autoinstall on it would report "Failed to download".
    const duckdbMessage = (error.cause as Error).message;
    expect(duckdbMessage).toMatch(
      new RegExp(`"${fn}" is not in the catalog, but it exists in the ${extension} extension`),
    );
    expect(duckdbMessage).not.toMatch(/download/i);
  });

  it('opens catalogs with extension installing and loading off, and Parquet built in', async () => {
    const path = join(dir(), 'c.duckdb');
    await runSql(path, ["CREATE TABLE chunks AS SELECT 1::BIGINT AS id, 'x' AS content"]);
    const catalog = await openCatalog({ path });
    try {
      const settings = await catalog.connection.runAndReadAll(
        "SELECT current_setting('autoinstall_known_extensions'), current_setting('autoload_known_extensions'), " +
          "current_setting('allow_community_extensions')",
      );
      expect(settings.getRows()).toEqual([[false, false, false]]);
      const parquet = await catalog.connection.runAndReadAll(
        "SELECT loaded, install_mode FROM duckdb_extensions() WHERE extension_name = 'parquet'",
      );
      expect(parquet.getRows()).toEqual([[true, 'STATICALLY_LINKED']]);
    } finally {
      catalog.close();
    }
  });
});
