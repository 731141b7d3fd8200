import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { hasGlob } from './catalog-source';
import { CatalogError } from './types';

/** A quoted data-file name in a view's SQL; other literals (`WHERE lang = 'ts'`) are not paths. */
const DATA_FILE_LITERAL = /'((?:[^']|'')*\.(?:parquet|csv|tsv|jsonl|ndjson)(?:\.gz|\.zst)?)'/gi;

/**
 * Relative paths in a catalog's views mean "beside the catalog" (`file_search_path`), but DuckDB
 * looks a relative file name up in the working directory first (globs only in the search path).
 * A same-named file under the working directory would be read instead, silently; this refuses it.
 */
export async function checkViewPaths(connection: DuckDBConnection, folder: string, path: string): Promise<void> {
  const reader = await connection.runAndReadAll('SELECT view_name, sql FROM duckdb_views() WHERE NOT internal');
  for (const [view, sql] of reader.getRows()) {
    for (const [, quoted] of String(sql).matchAll(DATA_FILE_LITERAL)) {
      const file = quoted.replace(/''/g, "'");
      if (isAbsolute(file) || file.includes('://') || file.startsWith('~') || hasGlob(file)) continue;
      const fromCwd = resolve(file);
      if (fromCwd !== resolve(folder, file) && isFile(fromCwd)) {
        throw new CatalogError(
          `Catalog ${path}: view "${String(view)}" reads '${file}', which xtr resolves against the catalog's folder ` +
            `(${folder}), but ${fromCwd} exists in the working directory and DuckDB would read that file instead. ` +
            `Make the path in the view absolute, or move ${fromCwd} away.`,
        );
      }
    }
  }
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}
