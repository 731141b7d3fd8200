import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { float16ToFloat32 } from './float16';
import { parseMeta } from './meta-json';
import { readableIndexDir } from './publish';
import {
  type IndexManifest,
  type IndexMeta,
  ITEM_SIZE,
  MANIFEST_FILE,
  META_FILE,
  StorageError,
  TOKENS_FILE,
} from './types';

/** Where a chunk's rows are in the token matrix. */
export interface ChunkLocation {
  readonly index: number;
  readonly offset: number;
  readonly length: number;
}

/**
 * Reads an index without loading the token matrix: chunk lookup by id is a hash-map hit, rows
 * are read with positional reads (float16 widened to float32).
 */
export class IndexReader {
  private readonly positions: Map<bigint, number>;

  private constructor(
    readonly dir: string,
    readonly meta: IndexMeta,
    readonly manifest: IndexManifest | undefined,
    private readonly fd: number,
  ) {
    this.positions = new Map(meta.chunk_ids.map((id, i) => [id, i]));
  }

  /** Opens the index at `dir`, putting it back first if a publish there died midway. */
  static open(at: string): IndexReader {
    const dir = readableIndexDir(at);
    const metaPath = join(dir, META_FILE);
    if (!existsSync(metaPath))
      throw new StorageError(
        `No index at ${dir}: ${META_FILE} is missing. Build it first (nx run <project>:xtr-index).`,
      );
    const meta = parseMeta(readFileSync(metaPath, 'utf8'));
    const manifestPath = join(dir, MANIFEST_FILE);
    const manifest = existsSync(manifestPath)
      ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as IndexManifest)
      : undefined;
    const tokensPath = join(dir, TOKENS_FILE[meta.dtype]);
    if (!existsSync(tokensPath))
      throw new StorageError(`Index ${dir} has no ${TOKENS_FILE[meta.dtype]} for dtype ${meta.dtype}.`);
    return new IndexReader(dir, meta, manifest, openSync(tokensPath, 'r'));
  }

  get docCount(): number {
    return this.meta.doc_count;
  }

  locate(id: bigint): ChunkLocation | undefined {
    const index = this.positions.get(id);
    return index === undefined
      ? undefined
      : { index, offset: this.meta.offsets[index], length: this.meta.lengths[index] };
  }

  /** `count` rows starting at row `start`, as float32 `[count, dim]`. */
  readRows(start: number, count: number): Float32Array {
    const { dim, dtype } = this.meta;
    const itemSize = ITEM_SIZE[dtype];
    const bytes = new Uint8Array(count * dim * itemSize);
    const read = readSync(this.fd, bytes, 0, bytes.length, start * dim * itemSize);
    if (read !== bytes.length)
      throw new StorageError(`Index ${this.dir}: token file ends inside rows ${start}..${start + count}.`);
    return dtype === 'float16' ? float16ToFloat32(new Uint16Array(bytes.buffer)) : new Float32Array(bytes.buffer);
  }

  /** The rows of chunk `id`, or undefined when the index does not hold it. */
  chunkRows(id: bigint): Float32Array | undefined {
    const location = this.locate(id);
    return location && this.readRows(location.offset, location.length);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * ColBERT/XTR late interaction: for every query token the best dot product with any document
 * token, summed over query tokens. Both matrices row-major with `dim` columns.
 */
export function maxSim(query: Float32Array, doc: Float32Array, dim: number): number {
  let score = 0;
  for (let q = 0; q < query.length; q += dim) {
    let best = -Infinity;
    for (let d = 0; d < doc.length; d += dim) {
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += query[q + k] * doc[d + k];
      if (dot > best) best = dot;
    }
    score += best;
  }
  return score;
}
