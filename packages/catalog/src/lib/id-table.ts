import type { CatalogConnection } from './open-catalog';

/** A temporary table of `ids` on the catalog's connection (the catalog itself is never written). */
export async function idTable(catalog: CatalogConnection, ids: BigInt64Array): Promise<string> {
  const name = 'xtr_selected_ids';
  await catalog.connection.run(`CREATE OR REPLACE TEMP TABLE ${name} (id BIGINT)`);
  const appender = await catalog.connection.createAppender(name, 'main', 'temp');
  for (const id of ids) {
    appender.appendBigInt(id);
    appender.endRow();
  }
  appender.closeSync();
  return `temp.main.${name}`;
}
