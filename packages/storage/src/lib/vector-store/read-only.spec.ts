import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesUnder, runChild } from './test-utils/fixtures';

/** Root ignores permissions, so as root the build runs as nobody; anyone else meets them as they are. */
const UNPRIVILEGED = process.getuid?.() === 0 ? 65534 : undefined;

function chmodTree(dir: string, dirMode: number, fileMode: number): void {
  chmodSync(dir, dirMode);
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(item.parentPath, item.name);
    if (item.isDirectory()) chmodTree(path, dirMode, fileMode);
    else chmodSync(path, fileMode);
  }
}

describe('a store the build cannot write', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'xtr-store-'));
    chmodSync(root, 0o755);
  });
  afterEach(() => {
    chmodTree(root, 0o755, 0o644);
    rmSync(root, { recursive: true, force: true });
  });

  it('serves what it holds, stores nothing, and says why once, without failing the build', async () => {
    const dir = join(root, 'store');
    await runChild(['put', dir, '0', '1']);
    chmodTree(dir, 0o555, 0o444);
    const before = filesUnder(dir).map((name) => [name, statSync(join(dir, name)).mtimeMs]);

    // Gets entry 0, puts entries 1–3, keeps entry 4, which is missing, and closes.
    const report = await runChild(['build', dir, '0', '3'], UNPRIVILEGED);
    expect(report.counters).toMatchObject({ hits: 1, written: 0, failed: 4 });
    expect(report.warnings).toEqual([
      expect.stringMatching(/: permission denied: new vectors were not stored, .*The build itself is unaffected/),
    ]);
    expect(report.warnings[0]).toContain(dir);
    expect(report.warnings[0]).toMatch(/choose another store\.dir/);
    expect(filesUnder(dir).map((name) => [name, statSync(join(dir, name)).mtimeMs])).toEqual(before);
  });

  it('that cannot even be looked into: every get misses, and the warnings say why', async () => {
    const dir = join(root, 'locked', 'store');
    await runChild(['put', dir, '0', '1']);
    chmodSync(join(root, 'locked'), 0o000);

    const report = await runChild(['build', dir, '0', '3'], UNPRIVILEGED);
    expect(report.counters).toMatchObject({ hits: 0, misses: 1, written: 0, failed: 4 });
    expect(report.warnings).toEqual([
      expect.stringMatching(
        /: permission denied: stored vectors could not be read, so those chunks were encoded again/,
      ),
      expect.stringMatching(/: permission denied: new vectors were not stored/),
    ]);
  });
});
