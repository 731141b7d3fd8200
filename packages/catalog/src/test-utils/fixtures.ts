import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openCatalog } from '../lib/open-catalog';
import { streamChunks } from '../lib/stream-chunks';
import type { CatalogOptions, ChunkBatch } from '../lib/types';

/** A fresh temp folder per test, removed after it; call inside a `describe`. */
export function useTempDir(): () => string {
  let dir: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xtr-catalog-'));
  });
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (dir === undefined) throw new Error('useTempDir: the folder exists only inside a test');
    return dir;
  };
}

/** Runs SQL against a DuckDB database file (created if absent) or `:memory:`, then closes it. */
export async function runSql(path: string, statements: string[], settings: Record<string, string> = {}) {
  const instance = await DuckDBInstance.create(path, settings);
  const connection = await instance.connect();
  try {
    for (const sql of statements) await connection.run(sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Writes the rows of `select` to a Parquet file. */
export function writeParquet(path: string, select: string) {
  return runSql(':memory:', [`COPY (${select}) TO '${path.replace(/'/g, "''")}' (FORMAT parquet)`]);
}

/** Opens a catalog and streams all of it: ids and contents in storage order. */
export async function readAll(options: CatalogOptions): Promise<{ ids: bigint[]; contents: string[] }> {
  const catalog = await openCatalog(options);
  const batches: ChunkBatch[] = [];
  try {
    for await (const batch of streamChunks(catalog, { rows: 0, nullIds: 0 })) batches.push(batch);
  } finally {
    catalog.close();
  }
  return { ids: batches.flatMap((b) => Array.from(b.ids)), contents: batches.flatMap((b) => b.contents) };
}

/** The rejection of `promise`, to inspect more than its message. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
