import { CatalogError } from './types';

/**
 * DuckDB's message up to its first line; the lines after it echo the statement or suggest SQL
 * fixes. Some node-api calls prefix the message with "Error: ", which says nothing.
 */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].replace(/^Error: /, '');
}

/** What DuckDB says when something needs an extension it does not have loaded (autoloading off). */
const MISSING_EXTENSION = [
  /exists in the (\w+) extension/, // a function or type of an extension
  /requires the extension (\w+) to be loaded/, // a file on a remote file system (httpfs)
  /Extension "(\w+)" is an existing extension/, // a file format handled by an extension
];

/** The extension a DuckDB error says is missing, or undefined when the error is about something else. */
export function missingExtension(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  for (const pattern of MISSING_EXTENSION) {
    const match = pattern.exec(message);
    if (match) return match[1];
  }
  return undefined;
}

/** The catalog needs an extension: say which, that none is ever installed, and how to do without. */
export function extensionError(path: string, table: string, extension: string, cause: unknown): CatalogError {
  return new CatalogError(
    `Catalog ${path}: reading "${table}" needs the DuckDB extension "${extension}", which is not built into ` +
      `xtr's DuckDB, and xtr never installs or loads extensions (a build must not download code). Materialise ` +
      `the rows where the extension is available, e.g. with the duckdb CLI: ` +
      `COPY (SELECT * FROM ${table}) TO 'chunks.parquet', and point "catalog.path" at that file.`,
    { cause },
  );
}

/** A DuckDB failure while reading the catalog, with the fix when it is the memory limit or an extension. */
export function catalogReadError(
  catalog: { readonly path: string; readonly table: string; readonly memoryLimit: string },
  doing: string,
  error: unknown,
): CatalogError {
  const extension = missingExtension(error);
  if (extension) return extensionError(catalog.path, catalog.table, extension, error);
  const fix = /out of memory/i.test(error instanceof Error ? error.message : String(error))
    ? ` DuckDB ran out of its ${catalog.memoryLimit} memory limit: raise "catalog.memoryLimit" in xtr.config.json ` +
      `(e.g. "1GB").`
    : '';
  return new CatalogError(`Catalog ${catalog.path}: ${doing}: ${firstLine(error)}${fix}`, { cause: error });
}
