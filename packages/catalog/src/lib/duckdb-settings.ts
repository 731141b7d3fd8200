/**
 * Settings for every DuckDB instance this package creates. DuckDB's defaults install (download)
 * and load extensions on demand, so a catalog mentioning one would make a build reach the network
 * and run code xtr did not ship. Parquet, JSON and ICU are built into @duckdb/node-api and need none.
 */
export const NO_EXTENSION_LOADING: Readonly<Record<string, string>> = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  allow_community_extensions: 'false',
};
