import { createHash } from 'node:crypto';
import { decodeEntry, encodeEntry } from './entry-format';
import { HEADER, keyOf, rowsOf } from './test-utils/fixtures';

const F16 = { dtype: 'float16', dim: 3 } as const;
const KEY = keyOf(1);
const ROWS = rowsOf(1, 2 * 3 * 2);

/** A damage done in place. */
const edit = (change: (file: Buffer) => unknown) => (file: Buffer) => {
  change(file);
  return file;
};

describe('entry files', () => {
  it('are the documented header, then the rows', () => {
    const file = encodeEntry(F16, KEY, 2, ROWS);
    expect(file.length).toBe(HEADER + ROWS.length);
    expect(file.subarray(0, 8).toString('latin1')).toBe('XTRVEC1\0');
    expect([...file.subarray(8, 12)]).toEqual([1, 0, 0, 0]);
    expect(file.readUInt32LE(12)).toBe(3);
    expect(file.readUInt32LE(16)).toBe(2);
    expect(file.subarray(20, 36).toString('hex')).toBe(KEY);
    const digest = createHash('sha256').update(file.subarray(0, 36)).update(ROWS).digest('hex');
    expect(file.subarray(36, 68).toString('hex')).toBe(digest);
    expect([...file.subarray(HEADER)]).toEqual([...ROWS]);
    expect(encodeEntry({ dtype: 'float32', dim: 3 }, KEY, 1, ROWS)[8]).toBe(2);
  });

  it('decode back to their rows', () => {
    const decoded = decodeEntry(encodeEntry(F16, KEY, 2, ROWS), F16, KEY);
    expect(decoded).toEqual({ entry: { tokens: 2, rows: ROWS } });
  });

  it('hold zero-token entries', () => {
    expect(decodeEntry(encodeEntry(F16, KEY, 0, new Uint8Array(0)), F16, KEY)).toEqual({
      entry: { tokens: 0, rows: new Uint8Array(0) },
    });
  });

  it.each<[string, (file: Buffer) => Buffer, RegExp]>([
    ['a flipped payload byte', edit((file) => (file[HEADER + 5] ^= 1)), /checksum/],
    ['a flipped tokens field', edit((file) => file.writeUInt32LE(1, 16)), /bytes, not/],
    ['a truncated payload', (file) => file.subarray(0, file.length - 1), /bytes, not/],
    ['a truncated header', (file) => file.subarray(0, 40), /shorter than the header/],
    ['another magic', edit((file) => file.write('XTRVEC2', 0, 'latin1')), /magic/],
    ['another dim', edit((file) => file.writeUInt32LE(4, 12)), /dim 4, not 3/],
    ['another dtype', edit((file) => (file[8] = 2)), /not float16/],
    ['another key', edit((file) => file.write(keyOf(2), 20, 'hex')), /another key/],
  ])('are found damaged with %s', (_, damage, problem) => {
    const decoded = decodeEntry(damage(encodeEntry(F16, KEY, 2, ROWS)), F16, KEY);
    expect(decoded).toEqual({ problem: expect.stringMatching(problem) });
  });

  it('are found damaged under a key other than their own', () => {
    expect(decodeEntry(encodeEntry(F16, KEY, 2, ROWS), F16, keyOf(2))).toEqual({ problem: 'written for another key' });
  });
});
