import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

const BUFFER_BYTES = 8 << 20;

/**
 * Copies chunks' rows from `source` into `target` in `order`, sequentially on the target side:
 * the external reorder that turns arrival order into id order with one buffer of memory.
 */
export async function permuteRows(
  source: FileHandle,
  target: FileHandle,
  order: Uint32Array,
  lengths: Int32Array,
  rowBytes: number,
  checksum: Hash,
): Promise<void> {
  // Where each chunk's rows start in arrival order.
  const starts = new Float64Array(lengths.length);
  for (let i = 1; i < lengths.length; i++) starts[i] = starts[i - 1] + lengths[i - 1];
  let buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  let used = 0;
  const flush = async () => {
    checksum.update(buffer.subarray(0, used));
    await target.write(buffer, 0, used);
    used = 0;
  };
  for (const chunk of order) {
    const bytes = lengths[chunk] * rowBytes;
    if (used + bytes > buffer.length) await flush();
    if (bytes > buffer.length) buffer = Buffer.allocUnsafe(bytes);
    const { bytesRead } = await source.read(buffer, used, bytes, starts[chunk] * rowBytes);
    if (bytesRead !== bytes) throw new Error(`staging token file ended early while reordering chunk rows`);
    used += bytes;
  }
  await flush();
}
