/**
 * A mulberry32 stream of unsigned 32-bit integers. Integer-only arithmetic, so the same seed gives
 * the same numbers on every platform.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Fills `out` with uniform values in [-scale, scale) from `mulberry32(seed)`: the same bits everywhere. */
export function fillSeededUniform(out: Float32Array, seed: number, scale: number): Float32Array {
  const next = mulberry32(seed);
  for (let i = 0; i < out.length; i++) out[i] = ((next() / 4294967296) * 2 - 1) * scale;
  return out;
}
