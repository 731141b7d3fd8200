import { type DuckDBConnection, type DuckDBType, DuckDBTypeId } from '@duckdb/node-api';
import { catalogReadError } from './catalog-errors';
import { quoteIdentifier } from './sql';
import { CatalogError } from './types';

/** The catalog's `id` column: its DuckDB type and how it becomes an exact BIGINT. */
export interface IdColumn {
  readonly type: DuckDBType;
  readonly kind: 'integer' | 'wide integer' | 'text';
}

/** Integer types whose every value fits BIGINT. */
const INTEGER_TYPES = new Set([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
]);
const WIDE_INTEGER_TYPES = new Set([DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT]);
const FRACTIONAL_TYPES = new Set([DuckDBTypeId.FLOAT, DuckDBTypeId.DOUBLE, DuckDBTypeId.DECIMAL]);

/**
 * SQL true for a non-NULL id that is not an exact BIGINT. A plain cast would round text such as
 * '1.5' and accept '1e3', '0x10' or ' 7', so text must be ASCII digits before it is cast.
 */
const NOT_BIGINT: Record<IdColumn['kind'], string | undefined> = {
  integer: undefined,
  'wide integer': 'TRY_CAST(id AS BIGINT) IS NULL',
  text: "NOT regexp_full_match(id, '[+-]?[0-9]+') OR TRY_CAST(id AS BIGINT) IS NULL",
};

/** Accepts integer and text ids; refuses other types, whose conversion could change ids. */
export function idColumn(type: DuckDBType, where: string): IdColumn {
  if (INTEGER_TYPES.has(type.typeId)) return { type, kind: 'integer' };
  if (WIDE_INTEGER_TYPES.has(type.typeId)) return { type, kind: 'wide integer' };
  if (type.typeId === DuckDBTypeId.VARCHAR) return { type, kind: 'text' };
  const example = FRACTIONAL_TYPES.has(type.typeId) ? ` (a ${type} id like 1.25 would become 1)` : '';
  throw new CatalogError(
    `${where}.id is ${type}; ids must be integers (BIGINT; other integer types and text holding whole numbers ` +
      `are read exactly). xtr does not convert ${type} ids because a conversion can change them silently` +
      `${example}. If the values are whole numbers, cast them in a view of a DuckDB catalog: CREATE VIEW chunks_v ` +
      `AS SELECT * REPLACE (CAST(id AS BIGINT) AS id) FROM …; and set "catalog.table" to "chunks_v".`,
  );
}

/** SQL reading `id` as an exact BIGINT; a value that is not one stops the query with an error naming it. */
export function idExpression(id: IdColumn): string {
  const notBigint = NOT_BIGINT[id.kind];
  if (!notBigint) return 'CAST(id AS BIGINT)';
  return (
    `CASE WHEN ${notBigint} THEN error('id ' || CAST(id AS VARCHAR) || ' is not an integer that fits BIGINT') ` +
    'ELSE CAST(id AS BIGINT) END'
  );
}

/** Finds the first id that is not an exact BIGINT, so a bad catalog stops before any work starts. */
export async function checkIdValues(
  connection: DuckDBConnection,
  catalog: { readonly path: string; readonly table: string; readonly memoryLimit: string },
  id: IdColumn,
): Promise<void> {
  const notBigint = NOT_BIGINT[id.kind];
  if (!notBigint) return;
  const table = quoteIdentifier(catalog.table);
  const sql = `SELECT CAST(id AS VARCHAR) FROM ${table} WHERE id IS NOT NULL AND (${notBigint}) LIMIT 1`;
  const reader = await connection.runAndReadAll(sql).catch((error: unknown) => {
    throw catalogReadError(catalog, `checking the ids of "${catalog.table}" failed`, error);
  });
  const rows = reader.getRows();
  if (rows.length === 0) return;
  const value = String(rows[0][0]);
  const problem = /^[+-]?[0-9]+$/.test(value)
    ? 'which does not fit a 64-bit id (BIGINT, -9223372036854775808 to 9223372036854775807)'
    : 'which is not a whole number written in digits';
  throw new CatalogError(
    `Catalog ${catalog.path}: "${catalog.table}".id (${id.type}) holds ${JSON.stringify(value)}, ${problem}. ` +
      `Every id must be an integer in BIGINT's range: fix or renumber the offending rows.`,
  );
}
