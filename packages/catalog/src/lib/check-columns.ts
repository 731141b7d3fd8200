import { type DuckDBConnection, type DuckDBType, DuckDBTypeId } from '@duckdb/node-api';
import { checkIdValues, idColumn, idExpression } from './id-column';
import { CatalogError } from './types';

/** The columns every chunk catalog must expose; the rest of the `chunks` schema is optional here. */
export const REQUIRED_COLUMNS = ['id', 'content'] as const;

/**
 * Checks that `id` and `content` exist with types that read exactly, and that every id fits
 * BIGINT. Returns the SQL that reads `id` as an exact BIGINT.
 */
export async function checkColumns(
  connection: DuckDBConnection,
  catalog: { readonly path: string; readonly table: string; readonly memoryLimit: string },
  columns: ReadonlyMap<string, DuckDBType>,
): Promise<string> {
  const where = `Catalog ${catalog.path}: "${catalog.table}"`;
  // DuckDB resolves column names case-insensitively, as the queries that read `id` and `content` will.
  const byName = new Map([...columns].map(([name, type]) => [name.toLowerCase(), type]));
  const [idType, contentType] = REQUIRED_COLUMNS.map((name) => byName.get(name));
  if (!idType || !contentType) {
    const missing = REQUIRED_COLUMNS.filter((name) => !byName.has(name));
    throw new CatalogError(
      `${where} lacks column(s) ${missing.join(', ')} (it has ${[...columns.keys()].join(', ')}). The chunks ` +
        `schema needs id BIGINT and content VARCHAR.`,
    );
  }
  checkContentType(contentType, where);
  const id = idColumn(idType, where);
  await checkIdValues(connection, catalog, id);
  return idExpression(id);
}

function checkContentType(type: DuckDBType, where: string): void {
  if (type.typeId === DuckDBTypeId.VARCHAR) return;
  const conversion = type.typeId === DuckDBTypeId.BLOB ? 'decode(content)' : 'CAST(content AS VARCHAR)';
  throw new CatalogError(
    `${where}.content is ${type}; content must be text (VARCHAR). Convert it in a view of a DuckDB catalog: ` +
      `CREATE VIEW chunks_v AS SELECT * REPLACE (${conversion} AS content) FROM …; and set "catalog.table" to ` +
      `"chunks_v".`,
  );
}
