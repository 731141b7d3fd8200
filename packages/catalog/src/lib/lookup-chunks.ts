import { catalogReadError } from './catalog-errors';
import { idTable } from './id-table';
import type { CatalogConnection } from './open-catalog';
import { quoteIdentifier } from './sql';

/** Where a chunk comes from, for showing search hits; a column the catalog lacks reads as null. */
export interface ChunkDetails {
  readonly uri: string | null;
  readonly startLine: number | null;
  readonly endLine: number | null;
  readonly preview: string | null;
  /** The chunk's text ("" when NULL), to explain which of its tokens matched. */
  readonly content: string;
}

const DETAIL_COLUMNS = ['uri', 'start_line', 'end_line', 'preview'] as const;

/** The details of the chunks with these ids; ids the catalog does not hold are absent from the map. */
export async function lookupChunks(
  catalog: CatalogConnection,
  ids: readonly bigint[],
): Promise<Map<bigint, ChunkDetails>> {
  const found = new Map<bigint, ChunkDetails>();
  if (ids.length === 0) return found;
  const selected = await idTable(catalog, BigInt64Array.from(ids));
  const columns = DETAIL_COLUMNS.map((name) => (catalog.columns.has(name) ? quoteIdentifier(name) : 'NULL'));
  const sql =
    `SELECT ${catalog.idExpression} AS id, ${columns.join(', ')}, coalesce(content, '') FROM ${quoteIdentifier(catalog.table)} ` +
    `WHERE ${catalog.idExpression} IN (SELECT id FROM ${selected})`;
  const reader = await catalog.connection.runAndReadAll(sql).catch((error: Error) => {
    throw catalogReadError(catalog, `looking up chunks in "${catalog.table}" failed`, error);
  });
  for (const [id, uri, startLine, endLine, preview, content] of reader.getRows()) {
    found.set(id as bigint, {
      uri: uri === null ? null : String(uri),
      startLine: startLine === null ? null : Number(startLine),
      endLine: endLine === null ? null : Number(endLine),
      preview: preview === null ? null : String(preview),
      content: String(content),
    });
  }
  return found;
}
