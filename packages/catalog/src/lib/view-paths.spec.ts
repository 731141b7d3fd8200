import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openCatalog } from './open-catalog';
import { readAll, rejectionOf, runSql, useTempDir, writeParquet } from '../test-utils/fixtures';

describe('views over Parquet files', () => {
  const dir = useTempDir();

  /** `<dir>/c.duckdb` whose `chunks` view reads 'parts/a.parquet', a path relative to the catalog's folder. */
  async function catalogWithRelativeView() {
    mkdirSync(join(dir(), 'parts'));
    await writeParquet(join(dir(), 'parts', 'a.parquet'), "SELECT 7::BIGINT AS id, 'beside the catalog' AS content");
    const path = join(dir(), 'c.duckdb');
    const view = "CREATE VIEW chunks AS SELECT * FROM read_parquet('parts/a.parquet')";
    await runSql(path, [view], { file_search_path: dir() });
    return path;
  }

  it("resolves a view's relative Parquet path against the catalog's folder, not the working directory", async () => {
    const path = await catalogWithRelativeView();
    expect(existsSync(resolve('parts/a.parquet'))).toBe(false);
    expect(await readAll({ path })).toEqual({ ids: [7n], contents: ['beside the catalog'] });
  });

  it('refuses a relative view path that a same-named file under the working directory would shadow', async () => {
    const path = await catalogWithRelativeView();
    const cwd = mkdtempSync(join(tmpdir(), 'xtr-cwd-'));
    const previous = process.cwd();
    try {
      mkdirSync(join(cwd, 'parts'));
      await writeParquet(join(cwd, 'parts', 'a.parquet'), "SELECT 7::BIGINT AS id, 'wrong file' AS content");
      process.chdir(cwd);
      await expect(openCatalog({ path })).rejects.toThrow(
        /view "chunks" reads 'parts\/a\.parquet', which xtr resolves against the catalog's folder .*DuckDB would read that/,
      );
    } finally {
      process.chdir(previous);
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('names the missing file when a view reads a deleted Parquet file', async () => {
    const path = await catalogWithRelativeView();
    rmSync(join(dir(), 'parts', 'a.parquet'));
    const error = await rejectionOf(openCatalog({ path }));
    expect(error.message).toMatch(/^Catalog .*c\.duckdb: "chunks" exists but reading it fails: .*"parts\/a\.parquet"/);
    expect(error.message).toContain(`(relative to the catalog's folder, ${dir()})`);
    expect(error.message).not.toMatch(/no table or view/);
  });
});
