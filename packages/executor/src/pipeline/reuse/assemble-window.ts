import type { EncodedBatch } from '@xtr-nx/encoder';
import { type Dtype, float32ToFloat16, type IndexWriter, ITEM_SIZE, type RowTable } from '@xtr-nx/storage';
import type { ReuseSources } from './reuse-sources';
import type { WindowPlan } from './window-plan';

/** A window's rows in chunk order, in the stored element type, ready for `IndexWriter.append`. */
export interface AssembledWindow {
  readonly lengths: Int32Array;
  readonly vectors: Float32Array | Uint16Array;
  /** Per chunk, its first row within the window. */
  readonly firstRows: Float64Array;
}

/** The encoder's output in the stored element type (float16 indexes usually get float16 from onnxruntime already). */
function stored(vectors: Float32Array | Uint16Array, dtype: Dtype): Float32Array | Uint16Array {
  return dtype === 'float16' && vectors instanceof Float32Array ? float32ToFloat16(vectors) : vectors;
}

const bytesOf = (array: ArrayBufferView) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** One buffer reused window after window: a window is assembled only after the last one was written. */
export class WindowAssembler {
  private scratch = new ArrayBuffer(0);

  constructor(
    private readonly dtype: Dtype,
    private readonly sources: ReuseSources,
    private readonly writer: IndexWriter,
    private readonly built: RowTable,
  ) {}

  /** Puts every chunk's rows in place: encoded ones from `encoded`, the others copied from where the plan found them. */
  async assemble(plan: WindowPlan, encoded: EncodedBatch, dim: number): Promise<AssembledWindow> {
    const { origins } = plan;
    const encodedVectors = stored(encoded.vectors, this.dtype);
    const encodedFirst = new Float64Array(encoded.lengths.length);
    for (let i = 1; i < encodedFirst.length; i++) encodedFirst[i] = encodedFirst[i - 1] + encoded.lengths[i - 1];
    const lengths = new Int32Array(origins.length);
    const firstRows = new Float64Array(origins.length);
    let rows = 0;
    origins.forEach((origin, i) => {
      firstRows[i] = rows;
      if (origin.kind === 'encode') lengths[i] = encoded.lengths[origin.index];
      else if (origin.kind === 'previous') lengths[i] = origin.count;
      else if (origin.kind === 'store') lengths[i] = origin.entry.tokens;
      else if (origin.kind === 'repeat') lengths[i] = lengths[origin.first];
      else lengths[i] = (this.built.find(plan.hashes[i]) as { count: number }).count;
      rows += lengths[i];
    });
    // Nothing reused, nothing repeated: the encoder's output is the window as is.
    if (plan.encode.length === origins.length) return { lengths, vectors: encodedVectors, firstRows };

    const rowBytes = dim * ITEM_SIZE[this.dtype];
    if (this.scratch.byteLength < rows * rowBytes) this.scratch = new ArrayBuffer(Math.ceil(rows * rowBytes * 1.25));
    const window = new Uint8Array(this.scratch, 0, rows * rowBytes);
    const source = bytesOf(encodedVectors);
    const reads: Promise<void>[] = [];
    const { previous } = this.sources;
    let run: { start: number; count: number; at: number } | undefined;
    const flushRun = () => {
      if (run && previous) reads.push(previous.read(run.start, run.count, window, run.at));
      run = undefined;
    };
    origins.forEach((origin, i) => {
      const at = firstRows[i] * rowBytes;
      if (origin.kind !== 'previous') flushRun();
      if (origin.kind === 'encode') {
        const from = encodedFirst[origin.index] * rowBytes;
        window.set(source.subarray(from, from + lengths[i] * rowBytes), at);
      } else if (origin.kind === 'previous') {
        // Unchanged neighbours are neighbours in the previous index too: one read for the run.
        if (run && run.start + run.count === origin.start) run.count += origin.count;
        else {
          flushRun();
          run = { start: origin.start, count: origin.count, at };
        }
      } else if (origin.kind === 'store') window.set(origin.entry.rows, at);
      else if (origin.kind === 'built') {
        const { start } = this.built.find(plan.hashes[i]) as { start: number };
        reads.push(this.writer.readRows(start, lengths[i], window, at));
      }
    });
    flushRun();
    await Promise.all(reads);
    origins.forEach((origin, i) => {
      if (origin.kind !== 'repeat') return;
      const from = firstRows[origin.first] * rowBytes;
      window.copyWithin(firstRows[i] * rowBytes, from, from + lengths[i] * rowBytes);
    });
    const vectors =
      this.dtype === 'float16'
        ? new Uint16Array(this.scratch, 0, window.length / 2)
        : new Float32Array(this.scratch, 0, window.length / 4);
    return { lengths, vectors, firstRows };
  }

  /**
   * After the window was appended from arrival row `arrivalStart`: later repeats of its texts
   * copy these rows, and the store receives what was encoded and keeps what was reused.
   */
  record(plan: WindowPlan, window: AssembledWindow, arrivalStart: number, dim: number): void {
    const rowBytes = dim * ITEM_SIZE[this.dtype];
    const bytes = bytesOf(window.vectors);
    plan.origins.forEach((origin, i) => {
      if (origin.kind === 'repeat' || origin.kind === 'built') return;
      const hash = plan.hashes[i];
      const first = window.firstRows[i];
      const count = window.lengths[i];
      this.built.set(hash, arrivalStart + first, count);
      const rows = bytes.subarray(first * rowBytes, (first + count) * rowBytes);
      if (origin.kind === 'encode') this.sources.encoded(hash, count, rows);
      else this.sources.reused(hash, count, rows);
    });
  }
}
