import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { verifyIndex } from '@xtr-nx/storage';
import { writeCatalog } from '@xtr-nx/catalog';
import { makeWorkspace, manyChunks, runCli } from '../test-utils/fixtures';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Bytes of token rows a running build has staged next to `out/index` so far. */
function stagedBytes(out: string): number {
  if (!existsSync(out)) return 0;
  const staging = readdirSync(out).find((name) => name.startsWith('.index.xtr-staging-'));
  if (!staging) return 0;
  return readdirSync(join(out, staging)).reduce(
    (sum, file) => sum + (statSync(join(out, staging, file), { throwIfNoEntry: false })?.size ?? 0),
    0,
  );
}

describe('a build killed with SIGKILL', () => {
  it('never damages the last good index, and the next build succeeds', async () => {
    const root = await makeWorkspace(manyChunks(20));
    expect((await runCli(['build', '--threads', '1'], root)).exitCode).toBe(0);
    const out = join(root, 'out');
    const index = join(out, 'index');
    const good = await verifyIndex(index);
    expect(good.ok).toBe(true);

    // A catalog large enough that the build runs for a few seconds; its full size tells how far
    // a build has got, so the kill points do not depend on this machine's speed.
    await writeCatalog(join(root, 'catalog.duckdb'), manyChunks(4000));
    expect((await runCli(['build', '--threads', '1', '--output-dir', 'sized'], root)).exitCode).toBe(0);
    const fullBytes = statSync(join(root, 'sized/tokens.f16')).size;

    const points = [0, 1, 0.3 * fullBytes, 0.7 * fullBytes]; // start-up, first rows, a third, most of the rows
    for (const bytes of points) {
      const build = runCli(['build', '--threads', '1'], root);
      let exited = false;
      void build.then(() => (exited = true));
      if (bytes === 0) await delay(100);
      while (!exited && stagedBytes(out) < bytes) await delay(2);
      build.kill('SIGKILL');
      const { signal } = await build;
      expect({ bytes, signal }).toEqual({ bytes, signal: 'SIGKILL' });
      // A killed build cannot free its lock; it expires once it is not refreshed. Age it instead of waiting.
      const past = new Date(Date.now() - 60_000);
      if (existsSync(join(out, '.index.xtr-lock'))) utimesSync(join(out, '.index.xtr-lock'), past, past);
      const report = await verifyIndex(index);
      expect({ bytes, ok: report.ok, problems: report.problems, docCount: report.docCount }).toEqual({
        bytes,
        ok: true,
        problems: [],
        docCount: good.docCount,
      });
    }

    const last = await runCli(['build', '--threads', '1'], root);
    expect(last.exitCode).toBe(0);
    expect(await verifyIndex(index)).toMatchObject({ ok: true, docCount: 4000 });
    expect(readdirSync(out)).toEqual(['index']);
    expect(existsSync(join(out, 'index/tokens.f16'))).toBe(true);
  });

  it('leaves the vector store usable: the next build reuses what it holds and equals a full build', async () => {
    const root = await makeWorkspace(manyChunks(3000), { store: { dir: 'store' } });
    const out = join(root, 'out');
    const build = runCli(['build', '--threads', '1'], root);
    let exited = false;
    void build.then(() => (exited = true));
    // Killed about a third of the way through the rows, with store writes in flight.
    while (!exited && stagedBytes(out) < 40_000_000) await delay(2);
    build.kill('SIGKILL');
    expect((await build).signal).toBe('SIGKILL');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(out, '.index.xtr-lock'), past, past);

    const stats = await runCli(['cache', 'stats', '--json'], root);
    expect(stats.exitCode).toBe(0);
    const held = JSON.parse(stats.stdout).entries;
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(3000);

    const next = await runCli(['build', '--threads', '1'], root);
    expect(next.exitCode).toBe(0);
    expect(next.stdout).toMatch(
      new RegExp(`reuse +${held} reused \\(${held} from the vector store\\), ${3000 - held} encoded`),
    );
    const digest = (dir: string) => readFileSync(join(root, dir, 'tokens.f16')).toString('base64');
    const incremental = digest('out/index');
    expect((await runCli(['build', '--threads', '1', '--full', '--output-dir', 'full'], root)).exitCode).toBe(0);
    expect(digest('full')).toBe(incremental);
    expect(await verifyIndex(join(out, 'index'))).toMatchObject({ ok: true, docCount: 3000 });
  });
});
