import { rm } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { NO_EXTENSION_LOADING } from './duckdb-settings';

/** One row of the `chunks` schema. `id` and `content` may be null, as in real catalogs. */
export interface ChunkRow {
  readonly id: bigint | null;
  readonly uri: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly startByte: number;
  readonly endByte: number;
  readonly preview: string;
  readonly content: string | null;
  readonly lang: string;
}

export const CHUNKS_DDL = `CREATE TABLE chunks (
  id BIGINT,
  uri VARCHAR,
  start_line INTEGER,
  end_line INTEGER,
  start_byte BIGINT,
  end_byte BIGINT,
  preview VARCHAR,
  content VARCHAR,
  lang VARCHAR
)`;

/**
 * Creates a fresh DuckDB catalog file with a `chunks` table holding `rows`, replacing any file
 * at `path`. For demo catalogs, tests and tools; indexing only ever reads catalogs.
 */
export async function writeCatalog(path: string, rows: Iterable<ChunkRow>): Promise<number> {
  await rm(path, { force: true });
  await rm(`${path}.wal`, { force: true });
  const instance = await DuckDBInstance.create(path, NO_EXTENSION_LOADING);
  const connection = await instance.connect();
  let count = 0;
  try {
    await connection.run(CHUNKS_DDL);
    const appender = await connection.createAppender('chunks');
    for (const row of rows) {
      if (row.id === null) appender.appendNull();
      else appender.appendBigInt(row.id);
      appender.appendVarchar(row.uri);
      appender.appendInteger(row.startLine);
      appender.appendInteger(row.endLine);
      appender.appendBigInt(BigInt(row.startByte));
      appender.appendBigInt(BigInt(row.endByte));
      appender.appendVarchar(row.preview);
      if (row.content === null) appender.appendNull();
      else appender.appendVarchar(row.content);
      appender.appendVarchar(row.lang);
      appender.endRow();
      count++;
    }
    appender.closeSync();
    await connection.run('CHECKPOINT');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return count;
}
