/**
 * Fills `out` with uniform values in [-scale, scale) from a mulberry32 stream. Integer-only
 * arithmetic up to the final scaling, so the same seed gives the same bits on every platform.
 */
export function fillSeededUniform(out: Float32Array, seed: number, scale: number): Float32Array {
  let state = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = (unit * 2 - 1) * scale;
  }
  return out;
}
