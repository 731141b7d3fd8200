import { existsSync } from 'node:fs';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { CatalogError, type CatalogOptions } from './types';
import { quoteIdentifier } from './sql';

/** The columns every chunk catalog must expose; the rest of the `chunks` schema is optional here. */
export const REQUIRED_COLUMNS = ['id', 'content'] as const;

/**
 * DuckDB keeps every block a scan reads cached up to its memory limit (80% of RAM unless told),
 * so without a limit a build's memory grows with the catalog: +50 MiB per million demo chunks,
 * measured. A plain table scan needs a few MiB; a view over Parquet about a row group per thread.
 */
export const DEFAULT_MEMORY_LIMIT = '256MB';
const DUCKDB_SIZE = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/** A read-only connection to a chunk catalog whose table and columns have been checked. */
export interface CatalogConnection {
  readonly path: string;
  readonly table: string;
  readonly connection: DuckDBConnection;
  readonly memoryLimit: string;
  close(): void;
}

/** A DuckDB failure while reading the catalog, with the fix when it is the memory limit. */
export function catalogReadError(catalog: Pick<CatalogConnection, 'path' | 'memoryLimit'>, doing: string, error: Error): CatalogError {
  const fix = /out of memory/i.test(error.message)
    ? ` DuckDB ran out of its ${catalog.memoryLimit} memory limit: raise "catalog.memoryLimit" in xtr.config.json (e.g. "1GB").`
    : '';
  return new CatalogError(`Catalog ${catalog.path}: ${doing}: ${error.message.split('\n')[0]}${fix}`);
}

/**
 * Opens the DuckDB file read-only (so a build can never modify the catalog and can run beside
 * other readers) and validates that the chunk table exists with the required columns.
 */
export async function openCatalog(options: CatalogOptions): Promise<CatalogConnection> {
  const table = options.table ?? 'chunks';
  const memoryLimit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
  if (!DUCKDB_SIZE.test(memoryLimit)) {
    throw new CatalogError(`"catalog.memoryLimit" is "${memoryLimit}": use a DuckDB size such as "256MB" or "2GB".`);
  }
  if (!existsSync(options.path)) {
    throw new CatalogError(
      `Catalog not found: ${options.path}. Point "catalog.path" in xtr.config.json at an existing DuckDB file (or build it first).`,
    );
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(options.path, { access_mode: 'READ_ONLY', memory_limit: memoryLimit });
  } catch (error) {
    throw catalogReadError({ path: options.path, memoryLimit }, 'cannot open it as a DuckDB database', error as Error);
  }
  const connection = await instance.connect();
  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };
  try {
    await checkColumns(connection, options.path, table);
  } catch (error) {
    close();
    throw error;
  }
  return { path: options.path, table, connection, memoryLimit, close };
}

async function checkColumns(connection: DuckDBConnection, path: string, table: string) {
  let columns: string[];
  try {
    const reader = await connection.runAndReadAll(`SELECT * FROM ${quoteIdentifier(table)} LIMIT 0`);
    columns = reader.columnNames();
  } catch {
    throw new CatalogError(
      `Catalog ${path} has no table or view "${table}". Create it with the chunks schema (id BIGINT, content VARCHAR, …) or set "catalog.table" in xtr.config.json.`,
    );
  }
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length > 0) {
    throw new CatalogError(
      `Catalog ${path}: table "${table}" lacks column(s) ${missing.join(', ')} (it has ${columns.join(', ')}). The chunks schema needs id BIGINT and content VARCHAR.`,
    );
  }
}
