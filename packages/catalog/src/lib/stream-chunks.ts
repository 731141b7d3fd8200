import type { DuckDBDataChunk } from '@duckdb/node-api';
import { CatalogFingerprint, contentHash } from './fingerprint';
import { catalogReadError } from './catalog-errors';
import type { CatalogConnection } from './open-catalog';
import { idTable } from './id-table';
import { quoteIdentifier } from './sql';
import type { ChunkBatch, StreamOptions, StreamStats } from './types';

const DEFAULT_BATCH_SIZE = 256;

/** Number of chunks with a non-NULL id: the denominator for progress and the empty-catalog check. */
export async function countChunks(catalog: CatalogConnection): Promise<number> {
  return countRows(catalog, 'id IS NOT NULL');
}

/** Files under a view can change after the catalog was opened, so counting can fail like reading. */
async function countRows(catalog: CatalogConnection, where: string): Promise<number> {
  const reader = await catalog.connection
    .runAndReadAll(`SELECT count(*) FROM ${quoteIdentifier(catalog.table)} WHERE ${where}`)
    .catch((error: unknown) => {
      throw catalogReadError(catalog, `counting the rows of "${catalog.table}" failed`, error);
    });
  return Number(reader.getColumns()[0][0]);
}

/**
 * Streams `(id, content)` in the catalog's storage order (insertion order for tables, file order
 * for Parquet views), in batches of at most `batchSize` rows. No ORDER BY: sorting would make
 * DuckDB hold every chunk's text at once, so memory would grow with the catalog. Consumers that
 * need id order sort ids, not texts. `stats` is final when the iterator ends.
 */
export async function* streamChunks(
  catalog: CatalogConnection,
  stats: StreamStats,
  options: StreamOptions = {},
): AsyncGenerator<ChunkBatch> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const table = quoteIdentifier(catalog.table);
  stats.nullIds = await countRows(catalog, 'id IS NULL');
  const uri = options.uris && catalog.columns.has('uri') ? 'uri' : 'NULL';
  const only = options.ids
    ? ` AND ${catalog.idExpression} IN (SELECT id FROM ${await idTable(catalog, options.ids)})`
    : '';
  const result = await catalog.connection
    .stream(
      `SELECT ${catalog.idExpression} AS id, coalesce(content, '') AS content, ${uri} AS uri FROM ${table} WHERE id IS NOT NULL${only}`,
    )
    .catch((error: Error) => {
      throw catalogReadError(catalog, `reading "${catalog.table}" failed`, error);
    });
  const fetchChunk = () =>
    result.fetchChunk().catch((error: Error) => {
      throw catalogReadError(catalog, `reading "${catalog.table}" failed`, error);
    });
  let ids: bigint[] = [];
  let contents: string[] = [];
  let uris: (string | null)[] = [];
  const batch = (): ChunkBatch => {
    stats.rows += ids.length;
    return { ids: BigInt64Array.from(ids), contents, ...(options.uris && { uris }) };
  };
  for (let chunk = await fetchChunk(); chunk && chunk.rowCount > 0; chunk = await fetchChunk()) {
    const [chunkIds, chunkContents, chunkUris] = readColumns(chunk);
    for (let row = 0; row < chunkIds.length; row++) {
      ids.push(chunkIds[row]);
      contents.push(chunkContents[row]);
      uris.push(chunkUris[row]);
      if (ids.length === batchSize) {
        yield batch();
        ids = [];
        contents = [];
        uris = [];
      }
    }
  }
  if (ids.length > 0) yield batch();
}

function readColumns(chunk: DuckDBDataChunk): [bigint[], string[], (string | null)[]] {
  return [
    chunk.getColumnValues(0) as bigint[],
    chunk.getColumnValues(1) as string[],
    chunk.getColumnValues(2) as (string | null)[],
  ];
}

/** Streams the whole catalog once and returns its `CatalogFingerprint` digest and chunk count. */
export async function fingerprintCatalog(catalog: CatalogConnection): Promise<{ fingerprint: string; chunks: number }> {
  const fingerprint = new CatalogFingerprint();
  const stats: StreamStats = { rows: 0, nullIds: 0 };
  for await (const batch of streamChunks(catalog, stats, { batchSize: 2048 }))
    fingerprint.update(batch.ids, batch.contents.map(contentHash));
  return { fingerprint: fingerprint.digest(), chunks: stats.rows };
}
