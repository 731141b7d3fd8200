import { open } from 'node:fs/promises';
import { float32ToFloat16, IndexWriter } from '@xtr-nx/storage';
import { syntheticManifest } from './bench-support';

export const DIM = 128;

const MANIFEST = syntheticManifest('search-bench');

/** Chunk lengths: `min` to `max` tokens, skewed towards short ones (`min + (max - min + 1)·u^a`, u uniform). */
export interface LengthShape {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

/** xorshift32: cheap, deterministic, good enough for random directions. */
export class Xorshift {
  constructor(private state: number) {
    this.state = state >>> 0 || 1;
  }

  /** Uniform in [-1, 1). */
  next(): number {
    let s = this.state;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.state = s >>> 0;
    return (s | 0) / 2 ** 31;
  }
}

/** `rows` random L2-normalised rows of width DIM, float32, into `out` (from element 0). */
export function unitRows(random: Xorshift, rows: number, out: Float32Array): Float32Array {
  for (let r = 0; r < rows; r++) {
    const at = r * DIM;
    let sum = 0;
    for (let d = 0; d < DIM; d++) {
      const v = random.next();
      out[at + d] = v;
      sum += v * v;
    }
    const scale = 1 / Math.sqrt(sum);
    for (let d = 0; d < DIM; d++) out[at + d] *= scale;
  }
  return out.subarray(0, rows * DIM);
}

/** Rows per append: 16 MiB of float32 vectors at most, generated into one reused buffer. */
const BATCH_ROWS = 32_768;

/**
 * Writes a float16 index of `chunks` chunks (ids 1..chunks, lengths drawn from `shape`) of random
 * unit rows into `outDir`; returns its token count.
 */
export async function writeRandomIndex(outDir: string, chunks: number, shape: LengthShape): Promise<number> {
  const random = new Xorshift(chunks);
  const power = (shape.max - shape.min) / (shape.mean - shape.min) - 1;
  const lengthOf = () => shape.min + Math.floor((shape.max - shape.min + 1) * ((random.next() + 1) / 2) ** power);
  const writer = await IndexWriter.create({ outDir, dim: DIM, dtype: 'float16' });
  const buffer = new Float32Array((BATCH_ROWS + shape.max) * DIM);
  let tokens = 0;
  for (let first = 1; first <= chunks;) {
    const lengths: number[] = [];
    let rows = 0;
    while (first + lengths.length <= chunks && rows < BATCH_ROWS) rows += lengths[lengths.push(lengthOf()) - 1];
    const ids = BigInt64Array.from(lengths, (_, i) => BigInt(first + i));
    await writer.append(
      ids,
      Int32Array.from(lengths),
      float32ToFloat16(unitRows(random, rows, buffer)),
      Array.from(ids, (id) => id * 0x9e3779b97f4a7c15n),
    );
    first += lengths.length;
    tokens += rows;
  }
  await writer.commit(MANIFEST);
  return tokens;
}

/** Reads a file once from start to end in 16 MiB blocks: it is then in the page cache for every scorer. */
export async function readOnce(path: string): Promise<void> {
  const file = await open(path, 'r');
  try {
    const block = new Uint8Array(16 << 20);
    while ((await file.read(block, 0, block.length, null)).bytesRead > 0);
  } finally {
    await file.close();
  }
}
