import { writeFileSync } from 'node:fs';

/** Writes a float32 `[rows, cols]` matrix as `np.save` does (format 1.0, header padded to 64 bytes). */
export function writeNpy(path: string, rows: number, cols: number, data: Float32Array): void {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  header = header.padEnd(Math.ceil((header.length + 11) / 64) * 64 - 11, ' ') + '\n';
  const preamble = Buffer.concat([Buffer.from('\x93NUMPY', 'latin1'), Buffer.from([1, 0]), Buffer.alloc(2)]);
  preamble.writeUInt16LE(header.length, 8);
  writeFileSync(path, Buffer.concat([preamble, Buffer.from(header, 'latin1'), Buffer.from(data.buffer)]));
}
