import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { float16ToFloat32, IndexReader, type IndexMeta, ITEM_SIZE, TOKENS_FILE } from '@xtr-nx/storage';
import { stackQueries } from './queries';
import { type SearchHit, TopK } from './top-k';

export interface ScoreOptions {
  /** Hits kept per query: a positive integer. */
  readonly k: number;
  /** Score only these chunk ids (duplicates and ids the index does not hold are ignored). */
  readonly candidates?: readonly bigint[];
  /** Bytes of the token file read per block (whole chunks; a longer chunk is read alone). Default 8 MiB. */
  readonly blockBytes?: number;
}

const DEFAULT_BLOCK_BYTES = 8 * 1024 * 1024;

/**
 * Scores chunks of the index at `dir` against each query with MaxSim, the way the Python reader
 * does: query rows L2-normalised, then per chunk the sum over query tokens of the best dot product
 * with any of the chunk's tokens. Every chunk is scored (or every one of `candidates`); the token
 * file is read once for the whole batch, in blocks of whole chunks, so memory stays bounded by
 * the block size whatever the index size. Returns per query its best `k` hits, highest score
 * first, ties by ascending id.
 *
 * `queries[q]` holds `[tokens, dim]` float32 rows, row-major, as an encoder produced them.
 */
export async function scoreExhaustive(
  dir: string,
  queries: readonly Float32Array[],
  options: ScoreOptions,
): Promise<SearchHit[][]> {
  const { k } = options;
  if (typeof k !== 'number' || !Number.isInteger(k) || k <= 0)
    throw new Error(`scoreExhaustive: k must be a positive integer, got ${String(k)}.`);
  const blockBytes = options.blockBytes ?? DEFAULT_BLOCK_BYTES;
  if (!Number.isInteger(blockBytes) || blockBytes <= 0)
    throw new Error(`scoreExhaustive: blockBytes must be a positive integer, got ${String(blockBytes)}.`);

  const reader = IndexReader.open(dir);
  const { meta } = reader;
  const tokensPath = join(reader.dir, TOKENS_FILE[meta.dtype]);
  reader.close();

  const { rows: queryRows, starts } = stackQueries(queries, meta.dim);
  const tops = queries.map(() => new TopK(k));
  if (queries.length === 0) return [];
  const chunks = options.candidates ? candidateIndexes(meta, options.candidates) : undefined;
  const selected = chunks?.length ?? meta.doc_count;
  if (selected === 0) return tops.map((top) => top.hits());

  const file = await open(tokensPath, 'r');
  try {
    const scan = new BlockScan(meta, blockBytes);
    const best = new Float64Array(starts[queries.length]);
    let next = 0;
    while (next < selected) {
      const first = chunks ? chunks[next] : next;
      // Whole chunks from `first` while their span fits a block (at least one chunk).
      let end = next + 1;
      const spanEnd = (i: number) => meta.offsets[i] + meta.lengths[i];
      while (end < selected) {
        const candidate = chunks ? chunks[end] : end;
        if ((spanEnd(candidate) - meta.offsets[first]) * scan.rowBytes > blockBytes) break;
        end++;
      }
      const last = chunks ? chunks[end - 1] : end - 1;
      const rowStart = meta.offsets[first];
      const block = await scan.read(file, tokensPath, rowStart, spanEnd(last) - rowStart);
      for (let s = next; s < end; s++) {
        const chunk = chunks ? chunks[s] : s;
        const from = (meta.offsets[chunk] - rowStart) * meta.dim;
        bestPerQueryToken(queryRows, block, from, from + meta.lengths[chunk] * meta.dim, meta.dim, best);
        const id = meta.chunk_ids[chunk];
        for (let q = 0; q < tops.length; q++) {
          let score = 0;
          for (let t = starts[q]; t < starts[q + 1]; t++) score += best[t];
          tops[q].offer(score, id);
        }
      }
      next = end;
    }
  } finally {
    await file.close();
  }
  return tops.map((top) => top.hits());
}

/**
 * For every query row `t` of `query`, the best dot product with any row of `doc` between element
 * `from` and `to` (exclusive), into `best[t]`. Blocked: two query rows by four document rows at a
 * time, so every value loaded feeds several dot products; leftovers one by one.
 */
export function bestPerQueryToken(
  query: Float32Array,
  doc: Float32Array,
  from: number,
  to: number,
  dim: number,
  best: Float64Array,
): void {
  const four = from + Math.floor((to - from) / (4 * dim)) * 4 * dim;
  const pairs = Math.floor(query.length / (2 * dim)) * 2 * dim;
  let q = 0;
  for (; q < pairs; q += 2 * dim) {
    const r = q + dim;
    let top0 = -Infinity;
    let top1 = -Infinity;
    let d = from;
    for (; d < four; d += 4 * dim) {
      let a0 = 0;
      let b0 = 0;
      let c0 = 0;
      let e0 = 0;
      let a1 = 0;
      let b1 = 0;
      let c1 = 0;
      let e1 = 0;
      const d1 = d + dim;
      const d2 = d1 + dim;
      const d3 = d2 + dim;
      for (let i = 0; i < dim; i++) {
        const u = query[q + i];
        const v = query[r + i];
        const x0 = doc[d + i];
        const x1 = doc[d1 + i];
        const x2 = doc[d2 + i];
        const x3 = doc[d3 + i];
        a0 += u * x0;
        b0 += u * x1;
        c0 += u * x2;
        e0 += u * x3;
        a1 += v * x0;
        b1 += v * x1;
        c1 += v * x2;
        e1 += v * x3;
      }
      top0 = Math.max(top0, a0, b0, c0, e0);
      top1 = Math.max(top1, a1, b1, c1, e1);
    }
    for (; d < to; d += dim) {
      let a0 = 0;
      let a1 = 0;
      for (let i = 0; i < dim; i++) {
        const x = doc[d + i];
        a0 += query[q + i] * x;
        a1 += query[r + i] * x;
      }
      if (a0 > top0) top0 = a0;
      if (a1 > top1) top1 = a1;
    }
    best[q / dim] = top0;
    best[r / dim] = top1;
  }
  for (; q < query.length; q += dim) {
    let top = -Infinity;
    for (let d = from; d < to; d += dim) {
      let dot = 0;
      for (let i = 0; i < dim; i++) dot += query[q + i] * doc[d + i];
      if (dot > top) top = dot;
    }
    best[q / dim] = top;
  }
}

/** Chunk positions of the candidate ids the index holds, deduplicated, ascending. */
function candidateIndexes(meta: IndexMeta, candidates: readonly bigint[]): number[] {
  const ids = meta.chunk_ids;
  const found = new Set<number>();
  for (const id of candidates) {
    // chunk_ids ascend: binary search.
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid] === id) {
        found.add(mid);
        break;
      }
      if (ids[mid] < id) lo = mid + 1;
      else hi = mid - 1;
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** Reads row spans of the token file into reused buffers, widened to float32. */
class BlockScan {
  readonly rowBytes: number;
  private bytes = new Uint8Array(0);
  private floats = new Float32Array(0);

  constructor(
    private readonly meta: IndexMeta,
    blockBytes: number,
  ) {
    this.rowBytes = meta.dim * ITEM_SIZE[meta.dtype];
    this.grow(Math.min(blockBytes, meta.total_tokens * this.rowBytes));
  }

  async read(
    file: Awaited<ReturnType<typeof open>>,
    path: string,
    rowStart: number,
    rows: number,
  ): Promise<Float32Array> {
    const length = rows * this.rowBytes;
    if (length > this.bytes.length) this.grow(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await file.read(this.bytes, done, length - done, rowStart * this.rowBytes + done);
      if (bytesRead === 0)
        throw new Error(`Index token file ${path} ends inside rows ${rowStart}..${rowStart + rows}.`);
      done += bytesRead;
    }
    const values = rows * this.meta.dim;
    if (this.meta.dtype === 'float32') return new Float32Array(this.bytes.buffer, 0, values);
    const halves = new Uint16Array(this.bytes.buffer, 0, values);
    return float16ToFloat32(halves, this.floats.subarray(0, values));
  }

  private grow(length: number): void {
    // Rounded up to a multiple of 4 so float32 and uint16 views line up.
    this.bytes = new Uint8Array(Math.ceil(length / 4) * 4);
    if (this.meta.dtype === 'float16') this.floats = new Float32Array(this.bytes.length / 2);
  }
}
