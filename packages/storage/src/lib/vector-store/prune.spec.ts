import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entryFile, HEADER, keyOf, rowsOf } from './test-utils/fixtures';
import { VectorStore } from './vector-store';

const NS = { encoder: 'enc', dtype: 'float16', dim: 2 } as const;
/** One token of dim 2, float16. */
const ENTRY = HEADER + 4;
const MINUTE = 60_000;

describe('pruning', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'xtr-store-')), 'store');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  /** Puts entries `keys` through a namespace closed under `maxBytes`, then sets each one's last use. */
  async function fill(keys: number[], maxBytes = 2 ** 30, lastUse?: (i: number) => Date): Promise<void> {
    const ns = VectorStore.open({ dir, maxBytes }).namespace(NS);
    for (const i of keys) ns.put(keyOf(i), 1, rowsOf(i, 4));
    await ns.close();
    expect(ns.counters).toMatchObject({ written: keys.length, failed: 0 });
    for (const i of keys) {
      if (lastUse) utimesSync(entryFile(dir, keyOf(i)), lastUse(i), lastUse(i));
    }
  }
  const present = (keys: number[]) => keys.filter((i) => existsSync(entryFile(dir, keyOf(i))));
  const usage = () => JSON.parse(readFileSync(join(dir, 'v1', 'usage.json'), 'utf8')).bytes;
  /** Last used in the order 3, 1, 4, 0, 2 (oldest first): not the order they were written in. */
  const shuffledUse = (i: number) => new Date(Date.UTC(2020, 0, 1 + [3, 1, 4, 0, 2].indexOf(i)));

  it('removes the least recently used entries until the store fits the bound', async () => {
    await fill([0, 1, 2, 3, 4], undefined, shuffledUse);
    const store = VectorStore.open({ dir, maxBytes: 2 ** 30 });
    expect(await store.prune(3 * ENTRY)).toEqual({ removedEntries: 2, removedBytes: 2 * ENTRY });
    expect(present([0, 1, 2, 3, 4])).toEqual([0, 2, 4]);
    expect(await store.prune(3 * ENTRY)).toEqual({ removedEntries: 0, removedBytes: 0 });
    expect(usage()).toBe(3 * ENTRY);
  });

  it('counts an entry kept by a build as just used', async () => {
    await fill([0, 1, 2], undefined, (i) => new Date(Date.UTC(2020, 0, 1 + i)));
    const ns = VectorStore.open({ dir, maxBytes: 2 ** 30 }).namespace(NS);
    ns.keep(keyOf(0), 1, rowsOf(0, 4));
    await ns.close();
    await VectorStore.open({ dir, maxBytes: 2 ** 30 }).prune(2 * ENTRY);
    expect(present([0, 1, 2])).toEqual([0, 2]);
  });

  it('a build closing over the bound prunes the oldest, to 90% of the bound', async () => {
    await fill([0, 1, 2, 3], undefined, shuffledUse);
    // 4 old entries + 1 new = 5 > 4.4; pruned to at most 0.9 × 4.4 = 3.96 entries: the two oldest go.
    await fill([4], 4.4 * ENTRY);
    expect(present([0, 1, 2, 3, 4])).toEqual([0, 2, 4]);
    expect(usage()).toBe(3 * ENTRY);
  });

  it('a build trusts the usage estimate while it fits, and a scan corrects it', async () => {
    await fill([0, 1, 2, 3]);
    writeFileSync(join(dir, 'v1', 'usage.json'), JSON.stringify({ bytes: 0, scannedAt: Date.now() }));
    await fill([4], 4.4 * ENTRY);
    expect(present([0, 1, 2, 3, 4])).toHaveLength(5);
    expect(usage()).toBe(ENTRY);

    expect(await VectorStore.open({ dir, maxBytes: 4.4 * ENTRY }).stats()).toMatchObject({ bytes: 5 * ENTRY });
    expect(usage()).toBe(5 * ENTRY);
  });

  it.each([
    ['says the store exceeds the bound', { bytes: 4 * ENTRY, scannedAt: Date.now() }],
    ['is more than a day old', { bytes: 0, scannedAt: Date.now() - 25 * 60 * MINUTE }],
    ['is unreadable', 'not json'],
  ])('a build scans and prunes when the estimate %s', async (_, estimate) => {
    await fill([0, 1, 2, 3], undefined, shuffledUse);
    writeFileSync(join(dir, 'v1', 'usage.json'), JSON.stringify(estimate));
    await fill([4], 4.4 * ENTRY);
    expect(present([0, 1, 2, 3, 4])).toEqual([0, 2, 4]);
  });

  it('removes temp files a killed writer left once they are old, never fresh ones', async () => {
    await fill([0]);
    const stale = `${entryFile(dir, keyOf(0))}.tmp-99999-0123456789ab`;
    const fresh = `${entryFile(dir, keyOf(0))}.tmp-99999-ba9876543210`;
    const staleUsage = join(dir, 'v1', 'usage.json.tmp-99999-0123456789ab');
    for (const temp of [stale, fresh, staleUsage]) writeFileSync(temp, 'partial');
    const old = new Date(Date.now() - 11 * MINUTE);
    utimesSync(stale, old, old);
    utimesSync(staleUsage, old, old);
    const fiveMinutes = new Date(Date.now() - 5 * MINUTE);
    utimesSync(fresh, fiveMinutes, fiveMinutes);

    const store = VectorStore.open({ dir, maxBytes: 2 ** 30 });
    expect(await store.prune()).toEqual({ removedEntries: 0, removedBytes: 0 });
    expect([stale, fresh, staleUsage].map((path) => existsSync(path))).toEqual([false, true, false]);
    await store.clear();
    expect(existsSync(fresh)).toBe(true);
  });
});
