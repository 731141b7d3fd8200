import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { verifyIndex } from '@xtr-nx/storage';
import { writeCatalog } from '@xtr-nx/catalog';
import { makeWorkspace, manyChunks, runCli } from '../test-utils/fixtures';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a build killed with SIGKILL', () => {
  it('never damages the last good index, and the next build succeeds', async () => {
    const root = await makeWorkspace(manyChunks(20));
    expect((await runCli(['build', '--threads', '1'], root)).exitCode).toBe(0);
    const index = join(root, 'out/index');
    const good = await verifyIndex(index);
    expect(good.ok).toBe(true);

    // A catalog large enough that the build runs for a few seconds, killed at several points:
    // start-up, reading, encoding and writing, late in the stream.
    await writeCatalog(join(root, 'catalog.duckdb'), manyChunks(4000));
    // Kill points as fractions of how long this machine takes for the whole build.
    const timing = performance.now();
    expect((await runCli(['build', '--threads', '1', '--output-dir', 'timing'], root)).exitCode).toBe(0);
    const full = performance.now() - timing;
    let interrupted = 0;
    for (const ms of [0.1, 0.3, 0.5, 0.7, 0.85].map((f) => f * full)) {
      const build = runCli(['build', '--threads', '1'], root);
      await delay(ms);
      build.kill('SIGKILL');
      const { signal, exitCode } = await build;
      const report = await verifyIndex(index);
      expect({ ms: Math.round(ms), ok: report.ok, problems: report.problems }).toEqual({ ms: Math.round(ms), ok: true, problems: [] });
      // Killed mid-build: the previous index, untouched. Finished in time: the complete new one.
      expect([good.docCount, 4000]).toContain(report.docCount);
      expect(signal === 'SIGKILL' || exitCode === 0).toBe(true);
      if (report.docCount === good.docCount) interrupted++;
    }
    expect(interrupted).toBeGreaterThanOrEqual(4);

    const last = await runCli(['build', '--threads', '1'], root);
    expect(last.exitCode).toBe(0);
    expect(await verifyIndex(index)).toMatchObject({ ok: true, docCount: 4000 });
    expect(readdirSync(join(root, 'out'))).toEqual(['index']);
  });
});
