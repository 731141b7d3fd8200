import { isAbsolute } from 'node:path';
import type { DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import { extensionError, firstLine, missingExtension } from './catalog-errors';
import { quoteIdentifier } from './sql';
import { CatalogError } from './types';

const LISTED_RELATIONS = 10;

/**
 * The columns of `table` with their DuckDB types. When it cannot be read, the error tells a
 * missing table or view (listing the ones that exist) from one that exists but fails to read,
 * such as a view over a deleted Parquet file (DuckDB's first line names the file). `folder` is
 * where relative paths in views are read from, if anywhere.
 */
export async function describeTable(
  connection: DuckDBConnection,
  path: string,
  table: string,
  folder?: string,
): Promise<Map<string, DuckDBType>> {
  try {
    const reader = await connection.runAndReadAll(`SELECT * FROM ${quoteIdentifier(table)} LIMIT 0`);
    const types = reader.columnTypes();
    return new Map(reader.columnNames().map((name, i) => [name, types[i]]));
  } catch (error) {
    const extension = missingExtension(error);
    if (extension) throw extensionError(path, table, extension, error);
    const relations = await listRelations(connection).catch(() => undefined);
    if (!relations || relations.some((relation) => matches(relation, table))) {
      throw new CatalogError(
        `Catalog ${path}: "${table}" exists but reading it fails: ${firstLine(error)}${lookedIn(error, folder)}. ` +
          `Fix its definition or restore the files it reads.`,
        { cause: error },
      );
    }
    throw new CatalogError(
      `Catalog ${path} has no table or view "${table}" (${describeRelations(relations)}). Create it with the ` +
        `chunks schema (id BIGINT, content VARCHAR, …) or set "catalog.table" in xtr.config.json.`,
      { cause: error },
    );
  }
}

/** DuckDB names a missing file as written in the view; say where a relative one was looked for. */
function lookedIn(error: unknown, folder: string | undefined): string {
  const pattern = /No files found that match the pattern "([^"]+)"/.exec(firstLine(error))?.[1];
  return folder && pattern && !isAbsolute(pattern) ? ` (relative to the catalog's folder, ${folder})` : '';
}

interface Relation {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
}

async function listRelations(connection: DuckDBConnection): Promise<Relation[]> {
  const reader = await connection.runAndReadAll(
    'SELECT table_catalog, table_schema, table_name FROM information_schema.tables ORDER BY ALL',
  );
  return reader.getRows().map(([database, schema, name]) => ({
    database: String(database),
    schema: String(schema),
    name: String(name),
  }));
}

/** DuckDB resolves `name`, `schema.name` and `database.schema.name` case-insensitively. */
function matches(relation: Relation, table: string): boolean {
  const parts = table.toLowerCase().split('.');
  const [name, qualifier, database] = parts.reverse();
  if (name !== relation.name.toLowerCase()) return false;
  if (qualifier === undefined) return true;
  if (database !== undefined) {
    return database === relation.database.toLowerCase() && qualifier === relation.schema.toLowerCase();
  }
  return qualifier === relation.schema.toLowerCase() || qualifier === relation.database.toLowerCase();
}

function describeRelations(relations: Relation[]): string {
  if (relations.length === 0) return 'it has no tables or views';
  const names = relations.map((r) => (r.schema === 'main' ? r.name : `${r.schema}.${r.name}`));
  const more = names.length > LISTED_RELATIONS ? ` and ${names.length - LISTED_RELATIONS} more` : '';
  return `it has ${names.slice(0, LISTED_RELATIONS).join(', ')}${more}`;
}
