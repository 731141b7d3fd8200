import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CatalogError } from './types';

/** What `catalog.path` points at, decided from its name and first bytes before DuckDB sees it. */
export type CatalogSource =
  /** `folder` is where relative paths in the database's views are read from. */
  | { readonly format: 'duckdb'; readonly file: string; readonly folder: string }
  | { readonly format: 'parquet'; readonly pattern: string };

const SQLITE_MAGIC = 'SQLite format 3\0';
const PARQUET_MAGIC = 'PAR1';
const PARQUET_NAME = /\.parquet$/i;

/** Whether DuckDB would expand `path` as a glob (`*`, `?`, `[…]`, `**`). */
export function hasGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

/**
 * Classifies the catalog path. A SQLite file is refused here, before DuckDB opens it: DuckDB
 * would otherwise hand it to its sqlite extension, which it downloads when allowed to.
 */
export function catalogSource(path: string, table: string): CatalogSource {
  if (hasGlob(path)) return { format: 'parquet', pattern: resolve(path) };
  const header = readHeader(path);
  if (header.toString('latin1', 0, SQLITE_MAGIC.length) === SQLITE_MAGIC) {
    throw new CatalogError(
      `Catalog ${path} is a SQLite database; xtr reads DuckDB databases and Parquet files. Export the table to ` +
        `Parquet or DuckDB (e.g. duckdb -c "ATTACH '${path}' AS src (TYPE sqlite); COPY src.${table} TO ` +
        `'${table}.parquet'") and point "catalog.path" at the result.`,
    );
  }
  if (PARQUET_NAME.test(path) || header.toString('latin1', 0, PARQUET_MAGIC.length) === PARQUET_MAGIC) {
    return { format: 'parquet', pattern: resolve(path) };
  }
  return { format: 'duckdb', file: resolve(path), folder: dirname(resolve(path)) };
}

function readHeader(path: string): Buffer {
  try {
    if (statSync(path).isDirectory()) {
      throw new CatalogError(
        `Catalog ${path} is a folder. Point "catalog.path" at a DuckDB database, a Parquet file, or Parquet ` +
          `files by glob (e.g. ${join(path, '*.parquet')}).`,
      );
    }
    const fd = openSync(path, 'r');
    try {
      const header = Buffer.alloc(SQLITE_MAGIC.length);
      return header.subarray(0, readSync(fd, header, 0, header.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof CatalogError) throw error;
    throw fileError(path, error as NodeJS.ErrnoException);
  }
}

function fileError(path: string, error: NodeJS.ErrnoException): CatalogError {
  if (error.code === 'ENOENT') {
    return new CatalogError(
      `Catalog not found: ${path}. Point "catalog.path" in xtr.config.json at an existing DuckDB database or ` +
        `Parquet file (or build it first).`,
    );
  }
  if (error.code === 'EACCES' || error.code === 'EPERM') {
    return new CatalogError(
      `Catalog ${path}: permission denied. Give the user running xtr read access to the file and its folders ` +
        `(e.g. chmod a+r ${path}).`,
      { cause: error },
    );
  }
  return new CatalogError(`Catalog ${path}: cannot read it: ${error.message}`, { cause: error });
}
