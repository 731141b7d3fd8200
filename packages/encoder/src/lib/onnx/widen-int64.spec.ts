import { widenToInt64 } from './widen-int64';

describe('widenToInt64', () => {
  it('keeps every int32 value, negative ones included', () => {
    const values = Int32Array.of(0, 1, -1, 101, 30_521, 2 ** 31 - 1, -(2 ** 31));
    expect(Array.from(widenToInt64(values))).toEqual(Array.from(values, (v) => BigInt(v)));
  });

  it('handles an empty batch', () => {
    expect(widenToInt64(new Int32Array(0))).toHaveLength(0);
  });
});
