import { type FileHandle, open, stat } from 'node:fs/promises';
import { examples } from './describe-value';
import { unreadable } from './file-problems';
import type { CheckedManifest } from './manifest-check';
import type { CheckedMeta } from './meta-check';
import type { RowDefects } from './row-norms';
import { scanTokens } from './scan-tokens';
import { type Dtype, ITEM_SIZE, MANIFEST_FILE, TOKENS_FILE } from './types';

/** The meta fields the token file is checked against; a field is undefined when the meta's is invalid. */
export type TokensMeta = CheckedMeta & { readonly dtype: Dtype };

/**
 * The token file: its size against the meta, checked before reading so that nothing is ever sized
 * from the meta's numbers; then one pass for the checksum and, when the size is right, the rows
 * (finite, and of unit norm within `tolerance` unless that is undefined).
 */
export async function checkTokens(
  path: string,
  meta: TokensMeta,
  manifest: CheckedManifest | undefined,
  tolerance: number | undefined,
  problems: string[],
): Promise<void> {
  const { dtype, dim, total_tokens: totalTokens } = meta;
  const name = TOKENS_FILE[dtype];
  const size = await regularFileSize(path, name, dtype, problems);
  if (size === undefined) return;
  let rowsFit = false;
  if (dim !== undefined && totalTokens !== undefined) {
    const expected = BigInt(totalTokens) * BigInt(dim) * BigInt(ITEM_SIZE[dtype]);
    rowsFit = BigInt(size) === expected;
    if (!rowsFit) {
      const product = `total_tokens ${totalTokens} × dim ${dim} × ${ITEM_SIZE[dtype]} bytes`;
      problems.push(`${name} is ${size} bytes, expected ${expected} (${product}).`);
    }
  }
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const scan = await scanTokens(handle, size, { rows: rowsFit && dim ? { dtype, dim, tolerance } : undefined });
    if (scan.bytes !== size) {
      problems.push(
        `${name} changed while it was being verified (${size} bytes, then ${scan.bytes} read): verify again.`,
      );
    }
    if (manifest?.tokensSha256 !== undefined && scan.sha256 !== manifest.tokensSha256) {
      const why = 'the file was modified or corrupted after the build';
      problems.push(`${name} does not match the checksum in ${MANIFEST_FILE}: ${why}.`);
    }
    if (scan.rows) reportRows(meta, scan.rows, tolerance, problems);
  } catch (error) {
    problems.push(unreadable(name, error));
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The file's size if it is a regular file; a pipe or device would block the open or the reads. */
async function regularFileSize(
  path: string,
  name: string,
  dtype: Dtype,
  problems: string[],
): Promise<number | undefined> {
  try {
    const stats = await stat(path);
    if (stats.isFile()) return stats.size;
    problems.push(
      stats.isDirectory()
        ? `${name} is a folder, not a file: rebuild the index.`
        : `${name} is not a regular file (a pipe, socket or device): rebuild the index.`,
    );
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    problems.push(missing ? `${name} is missing for dtype ${dtype}.` : unreadable(name, error));
  }
  return undefined;
}

interface RowFindings {
  readonly nonFinite: RowDefects<number>;
  readonly offNorm: RowDefects<{ row: number; norm: number }>;
}

function reportRows(meta: CheckedMeta, rows: RowFindings, tolerance: number | undefined, problems: string[]): void {
  const where = (row: number) => `row ${row} (chunk ${chunkOfRow(meta, row)})`;
  const { nonFinite, offNorm } = rows;
  if (nonFinite.count) {
    const named = examples(nonFinite.examples.map(where), nonFinite.count);
    problems.push(`${nonFinite.count} row(s) hold NaN or Infinity, e.g. ${named}.`);
  }
  if (offNorm.count) {
    const rowNorms = offNorm.examples.map(({ row, norm }) => `${where(row)} has norm ${norm.toFixed(4)}`);
    const named = examples(rowNorms, offNorm.count);
    problems.push(`${offNorm.count} row(s) are not unit length (tolerance ${tolerance}), e.g. ${named}.`);
  }
}

/** The id of the chunk holding `row`, or ? when the meta cannot tell. */
function chunkOfRow(meta: CheckedMeta, row: number): string {
  const { offsets, chunk_ids: ids } = meta;
  if (!offsets?.length || !ids) return '?';
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= row) lo = mid;
    else hi = mid - 1;
  }
  return String(ids[lo] ?? '?');
}
