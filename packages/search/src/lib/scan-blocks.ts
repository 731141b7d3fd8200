import { open } from 'node:fs/promises';
import { type IndexMeta, ITEM_SIZE } from '@xtr-nx/storage';

/** Rows of whole chunks read together: the unit the scorer multiplies and reduces. */
export interface ChunkBlock {
  /** The rows as stored: float16 bits or float32 values, `[rows, dim]`. */
  readonly data: Uint16Array | Float32Array;
  readonly rows: number;
  /** Positions (in `chunk_ids` order) of the chunks in the block, in row order. */
  readonly chunks: Int32Array;
  /** Chunk `chunks[i]` owns block rows `starts[i]..starts[i + 1]` (its padding included). */
  readonly starts: Int32Array;
}

/** How blocks are cut and laid out. */
export interface BlockLayout {
  /** Rows per block at most (padding included); a chunk longer than that forms a block alone. */
  readonly maxRows: number;
  /**
   * Each chunk's rows padded to a multiple of this by repeating its last row, so fixed groups of
   * rows never straddle two chunks (a repeated row leaves every maximum as it was). Default 1.
   */
  readonly groupRows?: number;
}

/**
 * Reads the chunks at `positions` (ascending; every chunk when undefined) of the token file in
 * blocks of whole chunks, adjacent chunks with one read. The next block is read while the caller
 * works on the current one, so two buffers alternate: memory stays at two blocks (and a staging
 * buffer when chunks are padded) whatever the index size, and a yielded block is valid until the
 * one after it is requested.
 */
export async function* scanBlocks(
  tokensPath: string,
  meta: IndexMeta,
  positions: Int32Array | undefined,
  layout: BlockLayout,
): AsyncGenerator<ChunkBlock> {
  const group = layout.groupRows ?? 1;
  const padded = (rows: number) => Math.ceil(rows / group) * group;
  const count = positions ? positions.length : meta.doc_count;
  const at = positions ? (i: number) => positions[i] : (i: number) => i;
  const rowBytes = meta.dim * ITEM_SIZE[meta.dtype];
  const file = await open(tokensPath, 'r');
  const buffers = [new BlockBuffer(meta), new BlockBuffer(meta)];
  // Padded blocks are read here first, then laid out chunk by chunk.
  const staging = group > 1 ? new BlockBuffer(meta) : undefined;

  /** Reads the block starting at selected chunk `first`; resolves to it and where the next begins. */
  const readBlock = async (first: number, buffer: BlockBuffer): Promise<[ChunkBlock, number]> => {
    let end = first;
    let rows = 0;
    while (end < count && (end === first || rows + padded(meta.lengths[at(end)]) <= layout.maxRows))
      rows += padded(meta.lengths[at(end++)]);
    const bytes = buffer.reserve(rows * rowBytes);
    const chunks = new Int32Array(end - first);
    const starts = new Int32Array(end - first + 1);
    let filled = 0;
    for (let i = first; i < end;) {
      // One read per run of chunks that lie back to back in the file.
      let run = i + 1;
      while (run < end && at(run) === at(run - 1) + 1) run++;
      const fromRow = meta.offsets[at(i)];
      const runRows = meta.offsets[at(run - 1)] + meta.lengths[at(run - 1)] - fromRow;
      const target = staging ? staging.reserve(runRows * rowBytes) : bytes;
      await readFully(
        file,
        target,
        staging ? 0 : filled * rowBytes,
        runRows * rowBytes,
        fromRow * rowBytes,
        tokensPath,
      );
      for (let c = i; c < run; c++) {
        const length = meta.lengths[at(c)];
        chunks[c - first] = at(c);
        starts[c - first] = filled;
        if (staging && length > 0) {
          const from = (meta.offsets[at(c)] - fromRow) * rowBytes;
          bytes.set(target.subarray(from, from + length * rowBytes), filled * rowBytes);
          const last = target.subarray(from + (length - 1) * rowBytes, from + length * rowBytes);
          for (let pad = length; pad < padded(length); pad++) bytes.set(last, (filled + pad) * rowBytes);
        }
        filled += staging ? padded(length) : length;
      }
      i = run;
    }
    starts[end - first] = filled;
    return [{ data: buffer.view(filled), rows: filled, chunks, starts }, end];
  };

  try {
    let pending = count > 0 ? readBlock(0, buffers[0]) : undefined;
    for (let turn = 1; pending; turn++) {
      const [block, next] = await pending;
      pending = next < count ? readBlock(next, buffers[turn % 2]) : undefined;
      yield block;
    }
  } finally {
    await file.close();
  }
}

async function readFully(
  file: Awaited<ReturnType<typeof open>>,
  bytes: Uint8Array,
  at: number,
  length: number,
  position: number,
  path: string,
): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(bytes, at + done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`Index token file ${path} ends at byte ${position + done}, inside its rows.`);
    done += bytesRead;
  }
}

/** A reusable byte buffer with a typed view of the block's rows. */
class BlockBuffer {
  private bytes = new Uint8Array(0);

  constructor(private readonly meta: IndexMeta) {}

  reserve(length: number): Uint8Array {
    // Rounded up to a multiple of 4 so float32 and uint16 views line up.
    if (length > this.bytes.length) this.bytes = new Uint8Array(Math.ceil(length / 4) * 4);
    return this.bytes;
  }

  view(rows: number): Uint16Array | Float32Array {
    const values = rows * this.meta.dim;
    return this.meta.dtype === 'float16'
      ? new Uint16Array(this.bytes.buffer, 0, values)
      : new Float32Array(this.bytes.buffer, 0, values);
  }
}
