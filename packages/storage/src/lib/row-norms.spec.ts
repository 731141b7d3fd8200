import { RowNormCheck } from './row-norms';

/** float16 bits → value, written out independently of the code under test. */
function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  return exp === 0 ? sign * frac * 2 ** -24 : sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function lcg(seed: number) {
  let state = seed;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
}

/** Feeds `bytes` to a checker in blocks of the given sizes (cycled), as a file scan would. */
function checkInBlocks(bytes: Uint8Array, options: ConstructorParameters<typeof RowNormCheck>[1], sizes: number[]) {
  const buffer = new ArrayBuffer(bytes.length + 8);
  new Uint8Array(buffer).set(bytes);
  const check = new RowNormCheck(buffer, options);
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const length = Math.min(sizes[k % sizes.length], bytes.length - at);
    check.check(at, length);
    at += length;
  }
  return check;
}

describe('RowNormCheck', () => {
  it('gives every float16 row the norm of a plain in-order sum, bit for bit, with rows straddling blocks', () => {
    const dim = 13;
    const rows = 300;
    const next = lcg(3);
    // Magnitudes below 0.5 (exponent ≤ 13), subnormals and both signs included.
    const bits = Uint16Array.from({ length: rows * dim }, () => next() & 0xb7ff);
    const expected = Array.from({ length: rows }, (_, r) => {
      let sum = 0;
      for (let k = 0; k < dim; k++) sum += half(bits[r * dim + k]) ** 2;
      return { row: r, norm: Math.sqrt(sum) };
    });
    const bytes = new Uint8Array(bits.buffer);
    const check = checkInBlocks(bytes, { dtype: 'float16', dim, tolerance: -1, examples: rows }, [6, 10, 2, 38, 4]);
    expect(check.rows).toBe(rows);
    expect(check.offNorm).toEqual({ count: rows, examples: expected });
  });

  it('sums float32 rows strictly in order across blocks', () => {
    const dim = 5;
    const next = lcg(11);
    const values = Float32Array.from({ length: 40 * dim }, () => next() / 2 ** 32 - 0.5);
    const expected = Array.from({ length: 40 }, (_, r) => {
      let sum = 0;
      for (let k = 0; k < dim; k++) sum += values[r * dim + k] * values[r * dim + k];
      return { row: r, norm: Math.sqrt(sum) };
    });
    const options = { dtype: 'float32', dim, tolerance: -1, examples: 40 } as const;
    const check = checkInBlocks(new Uint8Array(values.buffer), options, [12, 4, 28]);
    expect(check.offNorm.examples).toEqual(expected);
  });

  it('counts NaN and Infinity rows, keeps the first few, and leaves them out of the norm check', () => {
    const dim = 4;
    const bits = new Uint16Array(10 * dim);
    for (let r = 0; r < 10; r++) bits[r * dim] = 0x3c00; // 1.0: unit rows
    bits[1 * dim + 1] = 0x7e00; // NaN
    bits[4 * dim + 3] = 0x7c00; // +Infinity
    bits[6 * dim + 2] = 0xfc00; // -Infinity
    bits[9 * dim + 0] = 0x7c01; // NaN with another payload
    bits[8 * dim + 0] = 0x4000; // 2.0: norm 2
    const check = checkInBlocks(new Uint8Array(bits.buffer), { dtype: 'float16', dim, tolerance: 1e-2 }, [8]);
    expect(check.nonFinite).toEqual({ count: 4, examples: [1, 4, 6] });
    expect(check.offNorm).toEqual({ count: 1, examples: [{ row: 8, norm: 2 }] });
  });

  it('checks finiteness only when no tolerance is given (rows that were never normalised)', () => {
    const values = Float32Array.from([3, 4, NaN, 0, 0.5, 0]);
    const check = checkInBlocks(new Uint8Array(values.buffer), { dtype: 'float32', dim: 2 }, [24]);
    expect(check.offNorm.count).toBe(0);
    expect(check.nonFinite.examples).toEqual([1]);
  });
});
