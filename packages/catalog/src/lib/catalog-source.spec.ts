import * as fs from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { catalogSource } from './catalog-source';
import { NO_EXTENSION_LOADING } from './duckdb-settings';
import { openCatalog } from './open-catalog';
import { rejectionOf, useTempDir } from '../test-utils/fixtures';
import { writeCatalog } from './write-catalog';

/** The start of every SQLite 3 database file: all xtr and DuckDB look at to recognise one. */
function writeSqliteHeader(path: string) {
  fs.writeFileSync(path, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(84)]));
}

describe('catalog path', () => {
  const dir = useTempDir();
  afterEach(() => jest.restoreAllMocks());

  it('refuses a SQLite database before DuckDB sees it, so nothing is downloaded, online or offline', async () => {
    const path = join(dir(), 'chunks.db');
    writeSqliteHeader(path);
    const create = jest.spyOn(DuckDBInstance, 'create');
    await expect(openCatalog({ path })).rejects.toThrow(
      /^Catalog .*chunks\.db is a SQLite database; xtr reads DuckDB databases and Parquet files\. Export the table to/,
    );
    expect(create).not.toHaveBeenCalled();
  });

  it('keeps DuckDB from fetching its sqlite extension even when it is handed a SQLite file', async () => {
    const path = join(dir(), 'chunks.db');
    writeSqliteHeader(path);
    const error = await rejectionOf(DuckDBInstance.create(path, { access_mode: 'READ_ONLY', ...NO_EXTENSION_LOADING }));
    // With autoinstall on, DuckDB tries extensions.duckdb.org and reports "Failed to download".
    expect(error.message).toMatch(/sqlite_scanner\.duckdb_extension" not found/);
    expect(error.message).not.toMatch(/download/i);
  });

  it('names the path when reading it is not permitted', async () => {
    const path = join(dir(), 'c.duckdb');
    await writeCatalog(path, []);
    // Root (as in CI containers) reads any file whatever its mode, so the refusal is simulated.
    const nodeFs: typeof fs = jest.requireActual('node:fs');
    jest.spyOn(nodeFs, 'openSync').mockImplementationOnce(() => {
      throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
    });
    await expect(openCatalog({ path })).rejects.toThrow(
      /^Catalog .*c\.duckdb: permission denied\. Give the user running xtr read access/,
    );
  });

  it('explains a folder given as the catalog, suggesting a Parquet glob', async () => {
    await expect(openCatalog({ path: dir() })).rejects.toThrow(/is a folder\. .*\*\.parquet\)/);
  });

  it('tells DuckDB from Parquet by the first bytes, and takes globs and .parquet names as Parquet', async () => {
    const duckdb = join(dir(), 'named.parquet.bak');
    await writeCatalog(duckdb, []);
    const parquet = join(dir(), 'data.bin');
    fs.writeFileSync(parquet, 'PAR1 and the rest');
    fs.writeFileSync(join(dir(), 'broken.parquet'), 'not parquet');
    expect(catalogSource(duckdb, 'chunks')).toEqual({ format: 'duckdb', file: duckdb, folder: dir() });
    expect(catalogSource(parquet, 'chunks')).toEqual({ format: 'parquet', pattern: parquet });
    expect(catalogSource(join(dir(), 'broken.parquet'), 'chunks').format).toBe('parquet');
    const glob = join(dir(), 'parts/*.parquet');
    expect(catalogSource(glob, 'chunks')).toEqual({ format: 'parquet', pattern: glob });
  });
});
