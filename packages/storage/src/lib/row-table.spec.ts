import { RowTable } from './row-table';

describe('RowTable', () => {
  it('finds rows by the full 128-bit hash: equal low halves are different keys', () => {
    const table = new RowTable(4);
    const low = 0x1234n;
    table.add((1n << 64n) | low, 10, 3);
    table.add((2n << 64n) | low, 20, 0);
    expect(table.find((1n << 64n) | low)).toEqual({ start: 10, count: 3 });
    expect(table.find((2n << 64n) | low)).toEqual({ start: 20, count: 0 });
    expect(table.find(low)).toBeUndefined();
  });

  it('keeps the first entry on add, replaces it on set', () => {
    const table = new RowTable();
    expect(table.add(7n, 1, 1)).toBe(true);
    expect(table.add(7n, 2, 2)).toBe(false);
    expect(table.find(7n)).toEqual({ start: 1, count: 1 });
    table.set(7n, 3, 3);
    expect(table.find(7n)).toEqual({ start: 3, count: 3 });
    expect(table.size).toBe(1);
  });

  it('grows far past its first capacity without losing an entry', () => {
    const table = new RowTable(1);
    // Keys that collide in their low bits, so probing and regrowth both run.
    const keys = Array.from({ length: 5000 }, (_, i) => (BigInt(i) << 64n) | BigInt((i % 7) * 1024));
    keys.forEach((key, i) => table.add(key, i * 2 ** 40, i % 300));
    expect(table.size).toBe(5000);
    keys.forEach((key, i) => expect(table.find(key)).toEqual({ start: i * 2 ** 40, count: i % 300 }));
  });
});
