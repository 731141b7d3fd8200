import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { StorageError } from '../types';
import { entryFile, HEADER, keyOf, rowsOf } from './test-utils/fixtures';
import type { StoreNamespaceKey } from './types';
import { VectorStore } from './vector-store';

const F16: StoreNamespaceKey = { encoder: 'enc-a', dtype: 'float16', dim: 4 };
const BYTES = 3 * 4 * 2;

describe('StoreNamespace', () => {
  let dir: string;
  const open = (key = F16) => VectorStore.open({ dir, maxBytes: 2 ** 30 }).namespace(key);
  async function putOne(i: number, key = F16): Promise<void> {
    const ns = open(key);
    ns.put(keyOf(i), 3, rowsOf(i, BYTES));
    await ns.close();
    expect(ns.counters).toMatchObject({ written: 1, failed: 0 });
  }
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'xtr-store-')), 'store');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it.each([
    ['float16', 2],
    ['float32', 4],
  ] as const)('round-trips %s rows through another store instance, copied at put', async (dtype, itemSize) => {
    const key = { encoder: 'enc', dtype, dim: 3 };
    const writer = open(key);
    const rows = rowsOf(1, 5 * 3 * itemSize);
    writer.put(keyOf(1), 5, rows);
    rows.fill(0);
    await writer.close();
    expect(writer.warnings).toEqual([]);
    expect(statSync(entryFile(dir, keyOf(1))).size).toBe(HEADER + 5 * 3 * itemSize);

    const reader = open(key);
    const entry = await reader.get(keyOf(1));
    expect(entry?.tokens).toBe(5);
    expect([...(entry?.rows ?? [])]).toEqual([...rowsOf(1, 5 * 3 * itemSize)]);
    expect(await reader.get(keyOf(2))).toBeUndefined();
    expect(reader.counters).toMatchObject({ hits: 1, misses: 1, damaged: 0 });
  });

  it('keeps namespaces apart: another encoder, dtype or dim misses', async () => {
    await putOne(1);
    for (const other of [
      { ...F16, encoder: 'enc-b' },
      { ...F16, dtype: 'float32' },
      { ...F16, dim: 8 },
    ] as const) {
      expect(await open(other).get(keyOf(1))).toBeUndefined();
    }
    expect(await open().get(keyOf(1))).toBeDefined();
  });

  it.each<[string, (file: string) => void]>([
    [
      'a flipped payload byte',
      (file) =>
        writeFileSync(
          file,
          readFileSync(file).map((b, i) => (i === HEADER + 1 ? b ^ 1 : b)),
        ),
    ],
    ['a truncated file', (file) => truncateSync(file, statSync(file).size - 2)],
    ['a file of another key', (file) => renameSync(entryFile(dir, keyOf(2)), file)],
    ['a header of another dim', (file) => writeFileSync(file, readFileSync(file).fill(8, 12, 13))],
  ])('reports %s as damaged, removes it, and a later put restores it', async (_, damage) => {
    await putOne(1);
    await putOne(2);
    const file = entryFile(dir, keyOf(1));
    damage(file);

    const ns = open();
    expect(await ns.get(keyOf(1))).toBeUndefined();
    expect(ns.counters).toMatchObject({ hits: 0, misses: 0, damaged: 1 });
    expect(existsSync(file)).toBe(false);
    ns.put(keyOf(1), 3, rowsOf(1, BYTES));
    await ns.close();
    expect([...((await open().get(keyOf(1)))?.rows ?? [])]).toEqual([...rowsOf(1, BYTES)]);
  });

  it('ignores a temp file a killed writer left beside an entry', async () => {
    await putOne(1);
    const file = entryFile(dir, keyOf(1));
    writeFileSync(`${file}.tmp-99999-0123456789ab`, 'half an entr');
    mkdirSync(dirname(entryFile(dir, keyOf(2))), { recursive: true });
    writeFileSync(`${entryFile(dir, keyOf(2))}.tmp-99999-0123456789ab`, 'half an entr');
    const ns = open();
    expect(await ns.get(keyOf(1))).toBeDefined();
    expect(await ns.get(keyOf(2))).toBeUndefined();
    expect(ns.counters).toMatchObject({ hits: 1, misses: 1, damaged: 0 });
  });

  it('keep writes a missing entry, and only touches a present one', async () => {
    await putOne(1);
    const file = entryFile(dir, keyOf(1));
    utimesSync(file, new Date('2001-01-01'), new Date('2001-01-01'));
    const before = Date.now();
    const ns = open();
    ns.keep(keyOf(1), 3, new Uint8Array(BYTES));
    const missing = rowsOf(2, BYTES);
    ns.keep(keyOf(2), 3, missing);
    missing.fill(0);
    await ns.close();

    expect(ns.counters).toMatchObject({ touched: 1, written: 1, failed: 0 });
    expect(statSync(file).mtimeMs).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    const reader = open();
    expect([...((await reader.get(keyOf(1)))?.rows ?? [])]).toEqual([...rowsOf(1, BYTES)]);
    expect([...((await reader.get(keyOf(2)))?.rows ?? [])]).toEqual([...rowsOf(2, BYTES)]);
  });

  it('throws on a caller bug: a malformed key or rows of the wrong size', async () => {
    const ns = open();
    await expect(ns.get('ABC')).rejects.toThrow(/"ABC" is not 32 lowercase hex digits/);
    expect(() => ns.put(keyOf(1).toUpperCase(), 3, rowsOf(1, BYTES))).toThrow(StorageError);
    expect(() => ns.put(keyOf(1), 3, rowsOf(1, BYTES - 2))).toThrow(
      /22 bytes of rows for 3 tokens of dim 4 float16 \(expected 24\)/,
    );
    expect(() => ns.keep(keyOf(1), 2.5, rowsOf(1, 20))).toThrow(StorageError);
    await ns.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('skips writes beyond a 32 MiB backlog instead of holding them, and says so once', async () => {
    const ns = open({ encoder: 'fast', dtype: 'float16', dim: 512 });
    // 48 MiB of 1 MiB entries handed over at once, faster than any disk takes them.
    for (let i = 0; i < 48; i++) ns.put(keyOf(i), 1024, rowsOf(i, 1024 * 512 * 2));
    await ns.close();
    expect(ns.counters.written + ns.counters.failed).toBe(48);
    expect(ns.counters.failed).toBeGreaterThanOrEqual(48 - 33);
    expect(ns.warnings).toHaveLength(1);
    expect(ns.warnings[0]).toMatch(/faster than the disk stored them, so writes beyond a 32 MiB backlog were skipped/);
  });

  it('remembers the encoding speed a build recorded, across builds that record none', async () => {
    const first = open();
    expect(first.encodingRate()).toBeUndefined();
    first.put(keyOf(1), 3, rowsOf(1, BYTES));
    first.recordEncodingRate(1234.4);
    await first.close();
    const second = open();
    second.put(keyOf(2), 3, rowsOf(2, BYTES));
    await second.close();
    expect(open().encodingRate()).toBe(1234);
    expect(
      JSON.parse(readFileSync(join(dirname(dirname(entryFile(dir, keyOf(1)))), 'namespace.json'), 'utf8')),
    ).toEqual({
      encoder: 'enc-a',
      dtype: 'float16',
      dim: 4,
      tokensPerSecond: 1234,
    });
  });
});
