import { endianness } from 'node:os';

const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * int32 → int64 tensor data without a BigInt per element (one allocation per token would make
 * garbage collection a stage of its own): each value's low word, then its sign word.
 */
export function widenToInt64(values: Int32Array): BigInt64Array {
  const wide = new BigInt64Array(values.length);
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < values.length; i++) wide[i] = BigInt(values[i]);
    return wide;
  }
  const words = new Int32Array(wide.buffer);
  for (let i = 0; i < values.length; i++) {
    words[2 * i] = values[i];
    words[2 * i + 1] = values[i] >> 31;
  }
  return wide;
}
