import { float16ToFloat32 } from './float16';
import type { Dtype } from './types';

export interface RowNormOptions {
  readonly dtype: Dtype;
  readonly dim: number;
  /** Allowed |‖row‖ − 1|; undefined checks finiteness only (an index built without normalisation). */
  readonly tolerance?: number;
  /** Rows kept as examples of each defect; the rest are only counted. */
  readonly examples?: number;
}

/** Rows with one defect: how many, and the first few. */
export interface RowDefects<T> {
  count: number;
  readonly examples: T[];
}

/**
 * The square of every float16 value by its bits. Squares of float16 values are exact in
 * float32 (11 significant bits squared fit in 24; 2^-48 … 2^32 is inside float32's normal range),
 * and NaN and ±Infinity square to NaN and Infinity, so a lookup replaces decode-and-multiply.
 */
const HALF_SQUARES = (() => {
  const values = float16ToFloat32(Uint16Array.from({ length: 0x10000 }, (_, h) => h));
  return values.map((v) => v * v);
})();

/**
 * Squares of the float16 values `u16[start..end)`, added through 32-bit words (two values per
 * load) into two running sums. The order does not matter: each square is a multiple of 2^-48, so
 * while the total is below 32 (a norm below 5.6) every partial sum is exact in float64 and the
 * result equals the one-at-a-time sum bit for bit; above that the row is far from unit anyway.
 */
function halfSquares(u16: Uint16Array, u32: Uint32Array, start: number, end: number): number {
  let low = 0;
  let high = 0;
  let i = start;
  if (i & 1 && i < end) low = HALF_SQUARES[u16[i++]];
  const words = end >>> 1;
  for (let w = i >>> 1; w < words; w++) {
    const pair = u32[w];
    low += HALF_SQUARES[pair & 0xffff];
    high += HALF_SQUARES[pair >>> 16];
  }
  if (end & 1 && end - 1 >= i) low += HALF_SQUARES[u16[end - 1]];
  return low + high;
}

/**
 * Checks rows of a token matrix as its bytes stream through one buffer, block after block: every
 * row finite and, with a tolerance, of unit L2 norm. Rows may straddle blocks (a partial sum is
 * carried), so the block size never depends on `dim`. Nothing is allocated per block.
 */
export class RowNormCheck {
  readonly nonFinite: RowDefects<number> = { count: 0, examples: [] };
  readonly offNorm: RowDefects<{ row: number; norm: number }> = { count: 0, examples: [] };
  /** Complete rows checked so far. */
  rows = 0;
  private readonly u16: Uint16Array;
  private readonly u32: Uint32Array;
  private readonly f32: Float32Array;
  private readonly examples: number;
  /** Values of the current row seen so far, and the sum of their squares. */
  private filled = 0;
  private sum = 0;

  constructor(
    buffer: ArrayBufferLike,
    private readonly options: RowNormOptions,
  ) {
    this.u16 = new Uint16Array(buffer, 0, buffer.byteLength >>> 1);
    this.u32 = new Uint32Array(buffer, 0, buffer.byteLength >>> 2);
    this.f32 = new Float32Array(buffer, 0, buffer.byteLength >>> 2);
    this.examples = options.examples ?? 3;
  }

  /** Checks the next `byteLength` bytes of the matrix, found at `byteOffset` of the buffer (4-aligned). */
  check(byteOffset: number, byteLength: number): void {
    const half = this.options.dtype === 'float16';
    const itemSize = half ? 2 : 4;
    let at = byteOffset / itemSize;
    const end = at + Math.floor(byteLength / itemSize);
    const dim = this.options.dim;
    while (at < end) {
      const stop = Math.min(end, at + (dim - this.filled));
      this.sum = half ? this.sum + halfSquares(this.u16, this.u32, at, stop) : this.floatSquares(this.sum, at, stop);
      this.filled += stop - at;
      at = stop;
      if (this.filled === dim) this.finishRow();
    }
  }

  /** float32 squares are added strictly in order, so sums match a plain loop over the row. */
  private floatSquares(sum: number, start: number, end: number): number {
    const f32 = this.f32;
    for (let k = start; k < end; k++) sum += f32[k] * f32[k];
    return sum;
  }

  private finishRow(): void {
    const { sum, rows: row } = this;
    const { tolerance } = this.options;
    if (!Number.isFinite(sum)) record(this.nonFinite, row, this.examples);
    else if (tolerance !== undefined && Math.abs(Math.sqrt(sum) - 1) > tolerance) {
      record(this.offNorm, { row, norm: Math.sqrt(sum) }, this.examples);
    }
    this.rows++;
    this.filled = 0;
    this.sum = 0;
  }
}

function record<T>(defects: RowDefects<T>, example: T, limit: number): void {
  if (defects.examples.length < limit) defects.examples.push(example);
  defects.count++;
}
