import { existsSync, readFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { parseMeta } from './meta-json';
import { RowTable } from './row-table';
import {
  type Dtype,
  FORMAT_VERSION,
  type IndexManifest,
  ITEM_SIZE,
  MANIFEST_FILE,
  META_FILE,
  TOKENS_FILE,
} from './types';
import { verifyIndex } from './verify-index';

/** What the reused vectors must have been made by: the build's encoder and element type. */
export interface ReuseKey {
  readonly fingerprint: string;
  readonly dtype: Dtype;
}

/** Why an index cannot lend its vectors, as a clause: "its encoder differs". */
export type NotReusable = { readonly reason: string };

function readManifest(dir: string): Partial<IndexManifest> | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Partial<IndexManifest>;
  } catch {
    return undefined;
  }
}

/**
 * The index a build is about to replace, as a source of vectors: a chunk whose text it already
 * holds, encoded by the same encoder into the same dtype, gets its rows copied instead of encoded.
 * Opened only after the whole index verifies (checksum included), so a damaged or tampered file
 * is never copied into a new index that would carry a fresh, valid checksum.
 */
export class PreviousIndex {
  private constructor(
    private readonly tokensPath: string,
    readonly dim: number,
    private readonly rowBytes: number,
    private readonly table: RowTable,
    private readonly tokens: FileHandle,
  ) {}

  static async open(dir: string, key: ReuseKey): Promise<PreviousIndex | NotReusable> {
    if (!existsSync(join(dir, META_FILE))) return { reason: 'there is no index there yet' };
    const manifest = readManifest(dir);
    if (manifest?.formatVersion !== FORMAT_VERSION)
      return { reason: `its ${MANIFEST_FILE} is missing or from another format` };
    if (manifest.encoder?.fingerprint !== key.fingerprint) return { reason: 'it was built by another encoder' };
    if (manifest.dtype !== key.dtype) return { reason: `it holds ${manifest.dtype}, not ${key.dtype}` };
    const report = await verifyIndex(dir);
    if (!report.ok) return { reason: `it does not verify (${report.problems[0]})` };
    const meta = parseMeta(readFileSync(join(dir, META_FILE), 'utf8'));
    const hashes = manifest.contentHashes as string[];
    const table = new RowTable(meta.doc_count);
    for (let i = 0; i < meta.doc_count; i++) table.add(BigInt(`0x${hashes[i]}`), meta.offsets[i], meta.lengths[i]);
    const tokensPath = join(dir, TOKENS_FILE[key.dtype]);
    const tokens = await open(tokensPath, 'r');
    return new PreviousIndex(tokensPath, meta.dim, meta.dim * ITEM_SIZE[key.dtype], table, tokens);
  }

  /** Where the rows of the chunk whose text hashes to `hash` are, if this index holds that text. */
  find(hash: bigint): { readonly start: number; readonly count: number } | undefined {
    return this.table.find(hash);
  }

  /** Reads `count` rows from row `start` into `into` at byte `at`. */
  async read(start: number, count: number, into: Uint8Array, at: number): Promise<void> {
    const bytes = count * this.rowBytes;
    const { bytesRead } = await this.tokens.read(into, at, bytes, start * this.rowBytes);
    // Verified moments ago; a file that shrank since is being replaced under us.
    if (bytesRead !== bytes) throw new Error(`${this.tokensPath} changed while being read`);
  }

  async close(): Promise<void> {
    await this.tokens.close();
  }
}
