import { readFileSync } from 'node:fs';
import { EncoderError } from './types';

export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major values. */
  readonly data: Float32Array;
}

const MAGIC = '\x93NUMPY';

/**
 * Reads a 2-D float32/float64 `.npy` file (what `np.save` writes for a projection matrix).
 * The format is a fixed preamble, a Python-literal header, then raw little-endian values.
 */
export function readNpyMatrix(path: string): Matrix {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new EncoderError(`Projection file not found: ${path}. Set "encoder.projection" to an existing .npy file.`);
  }
  const fail = (why: string): never => {
    throw new EncoderError(
      `Projection ${path} ${why}. Save it with np.save(path, np.ascontiguousarray(w, dtype=np.float32)).`,
    );
  };
  if (bytes.subarray(0, 6).toString('latin1') !== MAGIC) fail('is not a .npy file');
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = bytes.subarray(headerStart, headerStart + headerLength).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/
    .exec(header)?.[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (descr !== '<f4' && descr !== '<f8') fail(`has dtype ${descr}, not float32/float64`);
  if (fortran !== 'False') fail('is in Fortran order');
  if (!shape || shape.length !== 2) fail(`has shape (${shape?.join(', ')}), not a 2-D matrix`);
  const [rows, cols] = shape as [number, number];
  const body = bytes.subarray(headerStart + headerLength);
  const itemSize = descr === '<f4' ? 4 : 8;
  if (body.length !== rows * cols * itemSize) fail(`holds ${body.length} bytes of data for shape (${rows}, ${cols})`);
  const aligned = new Uint8Array(body).buffer;
  const data = descr === '<f4' ? new Float32Array(aligned) : Float32Array.from(new Float64Array(aligned));
  return { rows, cols, data };
}
