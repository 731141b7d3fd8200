import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHILD_BYTES, CHILD_NAMESPACE, filesUnder, keyOf, rowsOf, runChild } from './test-utils/fixtures';
import { VectorStore } from './vector-store';

const COUNT = 400;

describe('builds sharing a store', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'xtr-store-')), 'store');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('two processes writing the same keys while a third reads leave every entry whole', async () => {
    const writers = Promise.all([0, 1].map(() => runChild(['put', dir, '0', String(COUNT)])));
    let settled = false;
    void writers.finally(() => (settled = true));
    // Reads all the while: a reader must never see part of an entry, which it would report as damaged.
    const reader = VectorStore.open({ dir, maxBytes: 2 ** 30 }).namespace(CHILD_NAMESPACE);
    while (!settled) {
      for (let i = 0; i < COUNT; i++) await reader.get(keyOf(i));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(reader.counters.damaged).toBe(0);

    for (const report of await writers)
      expect(report).toEqual({ counters: expect.objectContaining({ written: COUNT, failed: 0 }), warnings: [] });
    const after = VectorStore.open({ dir, maxBytes: 2 ** 30 }).namespace(CHILD_NAMESPACE);
    for (let i = 0; i < COUNT; i++)
      expect([...((await after.get(keyOf(i)))?.rows ?? [])]).toEqual([...rowsOf(i, CHILD_BYTES)]);
    expect(after.counters).toMatchObject({ hits: COUNT, damaged: 0 });
    expect(filesUnder(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });
});
