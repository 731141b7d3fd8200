import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPythonScript } from '../test-utils/python';
import { float16ToFloat32, float32ToFloat16 } from './float16';

/** float32 values with known-awkward float16 conversions, as raw bit patterns. */
function edgeCases(): Uint32Array {
  const bits: number[] = [];
  const f32 = new Float32Array(1);
  const asBits = new Uint32Array(f32.buffer);
  const push = (v: number) => {
    f32[0] = v;
    bits.push(asBits[0], (asBits[0] ^ 0x80000000) >>> 0);
  };
  [0, 1, 65504, 65519.996, 65520, 65536, 1e10, Infinity, 2 ** -14, 2 ** -24, 2 ** -25, 3 * 2 ** -25, 2 ** -26].forEach(
    push,
  );
  // Every float32 neighbour (±2 ulp) of every half-way point between adjacent float16 values
  // in the normal and subnormal ranges: exercises round-half-to-even and sticky bits.
  const half = new Uint16Array(1);
  for (let h = 0; h < 0x7c00; h++) {
    half[0] = h;
    const low = float16ToFloat32(half)[0];
    half[0] = h + 1;
    const high = float16ToFloat32(half)[0];
    f32[0] = (low + high) / 2;
    for (let d = -2; d <= 2; d++) bits.push(asBits[0] + d, (asBits[0] + d) ^ 0x80000000);
  }
  bits.push(0x7fc00000, 0xffc00000, 0x7f800001, 0x7fffffff, 0x7f802000); // NaNs
  return Uint32Array.from(bits, (b) => b >>> 0);
}

function randomBits(count: number, seed: number): Uint32Array {
  const out = new Uint32Array(count);
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state;
  }
  return out;
}

describe('float32ToFloat16', () => {
  it('matches numpy astype(np.float16) bit for bit', async () => {
    const bits = new Uint32Array([...edgeCases(), ...randomBits(200_000, 7)]);
    // Random values concentrated where vectors live (|x| ≤ 1) as well as the full bit space.
    const unit = new Float32Array(200_000).map((_, i) => Math.sin(i * 12.9898) * 1.5);
    const input = new Float32Array([...new Float32Array(bits.buffer), ...unit]);
    const dir = mkdtempSync(join(tmpdir(), 'xtr-f16-'));
    let expected: Uint16Array;
    try {
      writeFileSync(join(dir, 'in.f32'), input);
      await runPythonScript('float16_bits.py', [join(dir, 'in.f32'), join(dir, 'out.f16')]);
      expected = new Uint16Array(new Uint8Array(readFileSync(join(dir, 'out.f16'))).buffer);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const actual = float32ToFloat16(input);
    const mismatches = [];
    for (let i = 0; i < input.length && mismatches.length < 5; i++) {
      const bothNaN = Number.isNaN(input[i]) && (actual[i] & 0x7fff) > 0x7c00 && (expected[i] & 0x7fff) > 0x7c00;
      if (actual[i] !== expected[i] && !bothNaN) {
        const inBits = new Uint32Array(input.buffer)[i].toString(16);
        mismatches.push(`0x${inBits}: ours 0x${actual[i].toString(16)}, numpy 0x${expected[i].toString(16)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('round-trips every finite float16 exactly', () => {
    const all = Uint16Array.from({ length: 0x7c00 }, (_, i) => i);
    expect(Array.from(float32ToFloat16(float16ToFloat32(all)))).toEqual(Array.from(all));
  });
});

describe('float16ToFloat32', () => {
  it.each([
    ['0000', 0],
    ['3c00', 1],
    ['c000', -2],
    ['3555', 0.333251953125],
    ['7bff', 65504],
    ['0001', 2 ** -24], // smallest subnormal
    ['03ff', 1023 * 2 ** -24], // largest subnormal
    ['0400', 2 ** -14], // smallest normal
    ['7c00', Infinity],
    ['fc00', -Infinity],
  ])('decodes 0x%s exactly', (hex, value) => {
    expect(float16ToFloat32(Uint16Array.of(parseInt(hex, 16)))[0]).toBe(value);
  });

  it('keeps the sign of zero and decodes every NaN as NaN', () => {
    expect(Object.is(float16ToFloat32(Uint16Array.of(0x8000))[0], -0)).toBe(true);
    const nans = Uint16Array.from({ length: 0x3ff * 2 }, (_, i) => (i < 0x3ff ? 0x7c01 + i : 0xfc01 + i - 0x3ff));
    expect(Array.from(float16ToFloat32(nans)).every(Number.isNaN)).toBe(true);
  });

  it('writes into the given buffer', () => {
    const out = new Float32Array(3);
    expect(float16ToFloat32(Uint16Array.of(0x3c00, 0x4000), out.subarray(1))).toEqual(Float32Array.of(1, 2));
    expect(Array.from(out)).toEqual([0, 1, 2]);
  });
});
