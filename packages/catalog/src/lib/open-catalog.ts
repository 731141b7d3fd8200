import { existsSync } from 'node:fs';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { CatalogError, type CatalogOptions } from './types';
import { quoteIdentifier } from './sql';

/** The columns every chunk catalog must expose; the rest of the `chunks` schema is optional here. */
export const REQUIRED_COLUMNS = ['id', 'content'] as const;

/** A read-only connection to a chunk catalog whose table and columns have been checked. */
export interface CatalogConnection {
  readonly path: string;
  readonly table: string;
  readonly connection: DuckDBConnection;
  close(): void;
}

/**
 * Opens the DuckDB file read-only (so a build can never modify the catalog and can run beside
 * other readers) and validates that the chunk table exists with the required columns.
 */
export async function openCatalog(options: CatalogOptions): Promise<CatalogConnection> {
  const table = options.table ?? 'chunks';
  if (!existsSync(options.path)) {
    throw new CatalogError(
      `Catalog not found: ${options.path}. Point "catalog.path" in xtr.config.json at an existing DuckDB file (or build it first).`,
    );
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(options.path, { access_mode: 'READ_ONLY' });
  } catch (error) {
    throw new CatalogError(
      `Cannot open catalog ${options.path} as a DuckDB database: ${(error as Error).message}`,
    );
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
  return { path: options.path, table, connection, close };
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
