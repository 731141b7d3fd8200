import type { DuckDBConnection } from '@duckdb/node-api';
import { catalogSource } from './catalog-source';
import { checkColumns } from './check-columns';
import { connectCatalog } from './connect-catalog';
import { describeTable } from './describe-table';
import { CatalogError, type CatalogOptions } from './types';
import { checkViewPaths } from './view-paths';

/** The table or view read when `catalog.table` is not set. */
export const DEFAULT_TABLE = 'chunks';

/**
 * DuckDB keeps every block a scan reads cached up to its memory limit (80% of RAM unless told),
 * so without a limit a build's memory grows with the catalog: +50 MiB per million demo chunks,
 * measured. A plain table scan needs a few MiB; a view over Parquet about a row group per thread.
 */
export const DEFAULT_MEMORY_LIMIT = '256MB';
/** A size DuckDB's `memory_limit` takes ("256MB", "1.5GiB"); the config schema's pattern is this one, checked by a test. */
export const MEMORY_LIMIT_PATTERN = '^\\d+(\\.\\d+)?\\s*([KMGTkmgt]i?[Bb]|[Bb])$';
const DUCKDB_SIZE = new RegExp(MEMORY_LIMIT_PATTERN);

/** A read-only connection to a chunk catalog whose table and columns have been checked. */
export interface CatalogConnection {
  readonly path: string;
  readonly table: string;
  readonly connection: DuckDBConnection;
  readonly memoryLimit: string;
  /** SQL that reads `id` as an exact BIGINT, whatever integer or text type the catalog stores it as. */
  readonly idExpression: string;
  /** Lower-case names of the table's columns. */
  readonly columns: ReadonlySet<string>;
  close(): void;
}

/**
 * Opens a DuckDB database (read-only), a Parquet file or a glob of Parquet files, and validates that
 * the chunk table exists, that `id` and `content` have types that read exactly and that every id
 * fits BIGINT. Every problem a user can cause is a CatalogError naming it and the fix.
 */
export async function openCatalog(options: CatalogOptions): Promise<CatalogConnection> {
  const table = options.table ?? DEFAULT_TABLE;
  const memoryLimit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
  if (!DUCKDB_SIZE.test(memoryLimit)) {
    throw new CatalogError(`"catalog.memoryLimit" is "${memoryLimit}": use a DuckDB size such as "256MB" or "2GB".`);
  }
  const target = { path: options.path, table, memoryLimit };
  const source = catalogSource(options.path, table);
  const { connection, close } = await connectCatalog(source, target);
  try {
    const folder = source.format === 'duckdb' ? source.folder : undefined;
    if (folder) await checkViewPaths(connection, folder, options.path);
    const columns = await describeTable(connection, options.path, table, folder);
    const idExpression = await checkColumns(connection, target, columns);
    const names = new Set([...columns.keys()].map((name) => name.toLowerCase()));
    return { ...target, connection, idExpression, columns: names, close };
  } catch (error) {
    close();
    throw error;
  }
}
