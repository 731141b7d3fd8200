import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { extensionError, firstLine, missingExtension } from './catalog-errors';
import type { CatalogSource } from './catalog-source';
import { NO_EXTENSION_LOADING } from './duckdb-settings';
import { quoteIdentifier, quoteString } from './sql';
import { CatalogError } from './types';

/** An open DuckDB connection over the catalog, with `table` readable (not yet validated). */
export interface OpenedCatalog {
  readonly connection: DuckDBConnection;
  close(): void;
}

interface Target {
  readonly path: string;
  readonly table: string;
  readonly memoryLimit: string;
}

/**
 * A DuckDB database is opened read-only, so a build can never modify it and can run beside other
 * readers. Its `file_search_path` is the catalog's folder, so views reading relative Parquet paths
 * find them wherever the build runs. Parquet gets an in-memory database with `table` as a view.
 */
export async function connectCatalog(source: CatalogSource, target: Target): Promise<OpenedCatalog> {
  const settings = { memory_limit: target.memoryLimit, ...NO_EXTENSION_LOADING };
  if (source.format === 'duckdb') {
    const instance = await DuckDBInstance.create(source.file, {
      ...settings,
      access_mode: 'READ_ONLY',
      file_search_path: source.folder,
    }).catch((error: unknown) => {
      const extension = missingExtension(error);
      if (extension) throw extensionError(target.path, target.table, extension, error);
      throw new CatalogError(`Catalog ${target.path}: cannot open it as a DuckDB database: ${firstLine(error)}`, {
        cause: error,
      });
    });
    return connected(instance);
  }
  const opened = await connected(await DuckDBInstance.create(':memory:', settings));
  try {
    await opened.connection.run(
      `CREATE VIEW ${quoteIdentifier(target.table)} AS SELECT * FROM read_parquet(${quoteString(source.pattern)})`,
    );
  } catch (error) {
    opened.close();
    throw parquetError(target, error);
  }
  return opened;
}

async function connected(instance: DuckDBInstance): Promise<OpenedCatalog> {
  const connection = await instance.connect();
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function parquetError(target: Target, error: unknown): CatalogError {
  const extension = missingExtension(error);
  if (extension) return extensionError(target.path, target.table, extension, error);
  if (/No files found that match the pattern/.test(firstLine(error))) {
    return new CatalogError(
      `Catalog ${target.path}: no file matches it. Point "catalog.path" at existing Parquet files (one file or a ` +
        `glob such as data/*.parquet), or build them first.`,
      { cause: error },
    );
  }
  return new CatalogError(`Catalog ${target.path}: cannot read it as Parquet: ${firstLine(error)}`, { cause: error });
}
