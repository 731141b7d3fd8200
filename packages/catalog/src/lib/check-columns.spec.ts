import { join } from 'node:path';
import { openCatalog } from './open-catalog';
import { streamChunks } from './stream-chunks';
import { readAll, runSql, useTempDir, writeParquet } from '../test-utils/fixtures';

/** A catalog whose `chunks` table stores the given id literals as `type`, with content 'c<i>'. */
async function catalogWithIds(path: string, type: string, ids: string[], content = "'c' || i") {
  const values = ids.map((id, i) => `(CAST(${id} AS ${type}), ${i})`).join(', ');
  await runSql(path, [`CREATE TABLE chunks AS SELECT v AS id, ${content} AS content FROM (VALUES ${values}) t(v, i)`]);
}

describe('catalog column types', () => {
  const dir = useTempDir();

  it.each([
    ['TINYINT', ['-128', '127'], [-128n, 127n]],
    ['SMALLINT', ['-32768', '7'], [-32768n, 7n]],
    ['INTEGER', ['-2147483648', '7'], [-2147483648n, 7n]],
    ['BIGINT', ['-9223372036854775808', '9223372036854775807'], [-9223372036854775808n, 9223372036854775807n]],
    ['UTINYINT', ['255', '0'], [255n, 0n]],
    ['USMALLINT', ['65535', '1'], [65535n, 1n]],
    ['UINTEGER', ['4294967295', '1'], [4294967295n, 1n]],
    ['UBIGINT', ['9223372036854775807', '1'], [9223372036854775807n, 1n]],
    ['HUGEINT', ['-9223372036854775808', '9223372036854775807'], [-9223372036854775808n, 9223372036854775807n]],
    ['UHUGEINT', ['9223372036854775807', '3'], [9223372036854775807n, 3n]],
    ['VARCHAR', ["'-9223372036854775808'", "'+42'", "'007'"], [-9223372036854775808n, 42n, 7n]],
  ])('reads %s ids exactly as 64-bit integers', async (type, literals, expected) => {
    const path = join(dir(), 'c.duckdb');
    await catalogWithIds(path, type, literals);
    expect((await readAll({ path })).ids).toEqual(expected);
  });

  it('refuses a DOUBLE id, naming the type, the rounding it would cause and the cast that fixes it', async () => {
    const path = join(dir(), 'x.duckdb');
    await catalogWithIds(path, 'DOUBLE', ['1.25', '2']);
    await expect(openCatalog({ path })).rejects.toThrow(
      /^Catalog .*x\.duckdb: "chunks"\.id is DOUBLE; ids must be integers .*1\.25 would become 1.*CAST\(id AS BIGINT\)/,
    );
  });

  it.each([
    ['FLOAT', '1'],
    ['DECIMAL(10,2)', '1'],
    ['DATE', "'2020-01-01'"],
    ['BLOB', "'1'"],
    ['BOOLEAN', 'true'],
    ['UUID', "'00000000-0000-0000-0000-000000000001'"],
  ])('refuses %s ids, naming the type', async (type, literal) => {
    const path = join(dir(), 'c.duckdb');
    await catalogWithIds(path, type, [literal]);
    const shown = type.replace(/[()]/g, '\\$&').replace(',', ', ?');
    await expect(openCatalog({ path })).rejects.toThrow(new RegExp(`"chunks"\\.id is ${shown}; ids must be integers`));
  });

  it.each([
    ['UBIGINT', '18446744073709551615', /id \(UBIGINT\) holds "18446744073709551615", which does not fit a 64-bit id/],
    ['HUGEINT', '-9223372036854775809', /id \(HUGEINT\) holds "-9223372036854775809", which does not fit a 64-bit id/],
    [
      'UHUGEINT',
      '340282366920938463463374607431768211455',
      /holds "340282366920938463463374607431768211455", which does not/,
    ],
    ['VARCHAR', "'12a'", /id \(VARCHAR\) holds "12a", which is not a whole number written in digits/],
    ['VARCHAR', "'1.5'", /holds "1\.5", which is not a whole number/],
    ['VARCHAR', "' 7'", /holds " 7", which is not a whole number/],
    ['VARCHAR', "'9223372036854775808'", /holds "9223372036854775808", which does not fit a 64-bit id/],
  ])('refuses a %s id of %s, naming the value', async (type, literal, message) => {
    const path = join(dir(), 'c.duckdb');
    await catalogWithIds(path, type, [type === 'VARCHAR' ? "'1'" : '1', literal]);
    await expect(openCatalog({ path })).rejects.toThrow(message);
  });

  it('checks ids again while streaming, so a Parquet file rewritten after opening cannot round an id', async () => {
    const path = join(dir(), 'c.parquet');
    await writeParquet(path, "SELECT '1' AS id, 'a' AS content");
    const catalog = await openCatalog({ path });
    try {
      await writeParquet(path, "SELECT '1.5' AS id, 'a' AS content");
      await expect(streamChunks(catalog, { rows: 0, nullIds: 0 }).next()).rejects.toThrow(
        /reading "chunks" failed: .*id 1\.5 is not an integer that fits BIGINT/,
      );
    } finally {
      catalog.close();
    }
  });

  it.each([
    ['BLOB', "'text'::BLOB", /"chunks"\.content is BLOB; content must be text \(VARCHAR\).*decode\(content\)/],
    ['INTEGER', '42', /"chunks"\.content is INTEGER; content must be text \(VARCHAR\).*CAST\(content AS VARCHAR\)/],
  ])('refuses %s content, naming the type and the conversion', async (_, content, message) => {
    const path = join(dir(), 'c.duckdb');
    await catalogWithIds(path, 'BIGINT', ['1'], content);
    await expect(openCatalog({ path })).rejects.toThrow(message);
  });

  it('finds id and content whatever their case, as DuckDB resolves them', async () => {
    const path = join(dir(), 'c.duckdb');
    await runSql(path, [`CREATE TABLE chunks AS SELECT 5::BIGINT AS "ID", 'five' AS "Content"`]);
    expect(await readAll({ path })).toEqual({ ids: [5n], contents: ['five'] });
  });
});
