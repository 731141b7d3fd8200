/**
 * float32 → IEEE binary16 bits with exactly numpy's `astype(np.float16)` rounding: round half to
 * even, gradual underflow to subnormals, overflow to ±inf, NaN kept NaN with its top payload bits.
 * Node 20 has no Float16Array, so this is a transcription of numpy's `npy_floatbits_to_halfbits`.
 */
export function float32ToFloat16(src: Float32Array, dst: Uint16Array = new Uint16Array(src.length)): Uint16Array {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < bits.length; i++) dst[i] = halfBits(bits[i]);
  return dst;
}

function halfBits(f: number): number {
  const sign = (f >>> 16) & 0x8000;
  const exp = f & 0x7f800000;

  if (exp >= 0x47800000) {
    // Too large for half precision: infinity, or NaN (never allowed to collapse to infinity).
    const significand = f & 0x007fffff;
    if (exp === 0x7f800000 && significand !== 0) {
      const nan = 0x7c00 + (significand >>> 13);
      return sign + (nan === 0x7c00 ? 0x7c01 : nan);
    }
    return sign + 0x7c00;
  }

  if (exp <= 0x38000000) {
    // Subnormal in half precision, or zero after rounding.
    if (exp < 0x33000000) return sign;
    const e = exp >>> 23;
    let significand = (0x00800000 + (f & 0x007fffff)) >>> (113 - e);
    // Round half to even; the shift may have dropped up to 11 sticky bits, so look at `f` too.
    if ((significand & 0x00003fff) !== 0x00001000 || (f & 0x000007ff) !== 0) significand += 0x00001000;
    return sign + (significand >>> 13);
  }

  let significand = f & 0x007fffff;
  if ((significand & 0x00003fff) !== 0x00001000) significand += 0x00001000;
  // A carry out of the significand bumps the exponent, up to and including infinity: as numpy.
  return sign + (((exp - 0x38000000) >>> 13) + (significand >>> 13));
}

/** Every binary16 value by its bits (256 KiB, built on first use): decoding is one lookup per value. */
let halfValues: Float32Array | undefined;

/** binary16 bits → float32, exact (every half value is representable). */
export function float16ToFloat32(src: Uint16Array, dst: Float32Array = new Float32Array(src.length)): Float32Array {
  const table = (halfValues ??= Float32Array.from({ length: 0x10000 }, (_, h) => halfToFloat(h)));
  for (let i = 0; i < src.length; i++) dst[i] = table[src[i]];
  return dst;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
