import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { float16ToFloat32 } from './float16';
import { parseMeta } from './meta-json';
import { type Dtype, type IndexManifest, type IndexMeta, ITEM_SIZE, MANIFEST_FILE, META_FILE, TOKENS_FILE } from './types';

/** The chunks an index should hold, in any order (e.g. streamed from its catalog); hashes as in the manifest. */
export type ExpectedChunks = AsyncIterable<{ readonly ids: BigInt64Array; readonly contentHashes: readonly string[] }>;

export interface VerifyOptions {
  readonly expected?: ExpectedChunks;
  /** Allowed |‖row‖ − 1| (default 1e-2 for float16, 1e-4 for float32). */
  readonly normTolerance?: number;
}

export interface VerifyReport {
  readonly dir: string;
  readonly ok: boolean;
  /** One precise sentence per defect. */
  readonly problems: string[];
  readonly docCount?: number;
  readonly totalTokens?: number;
}

const META_KEYS = ['dim', 'dtype', 'total_tokens', 'doc_count', 'chunk_ids', 'offsets', 'lengths'];
const NORM_TOLERANCE: Record<Dtype, number> = { float16: 1e-2, float32: 1e-4 };
const EXAMPLES = 3;

const examples = (items: readonly unknown[]) => `${items.slice(0, EXAMPLES).join(', ')}${items.length > EXAMPLES ? ', …' : ''}`;

/**
 * Checks everything a reader relies on: meta structure, offsets, ids, file size, manifest
 * agreement, checksum, finite unit-norm rows, and (with `expected`) that the index holds exactly
 * the expected chunks with the same content.
 */
export async function verifyIndex(dir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const problems: string[] = [];
  const report = (extra: Partial<VerifyReport> = {}): VerifyReport => ({ dir, ok: problems.length === 0, problems, ...extra });

  const meta = await readMeta(dir, problems);
  if (!meta) return report();
  checkStructure(meta, problems);
  const manifest = await readManifest(dir, meta, problems);
  const tokensPath = join(dir, TOKENS_FILE[meta.dtype]);
  if (!existsSync(tokensPath)) {
    problems.push(`${TOKENS_FILE[meta.dtype]} is missing for dtype ${meta.dtype}.`);
  } else {
    const expectedBytes = meta.total_tokens * meta.dim * ITEM_SIZE[meta.dtype];
    const size = statSync(tokensPath).size;
    if (size !== expectedBytes) {
      problems.push(
        `${TOKENS_FILE[meta.dtype]} is ${size} bytes, expected ${expectedBytes} (total_tokens ${meta.total_tokens} × dim ${meta.dim} × ${ITEM_SIZE[meta.dtype]} bytes).`,
      );
    }
    await scanTokens(tokensPath, meta, manifest, options.normTolerance ?? NORM_TOLERANCE[meta.dtype], problems);
  }
  if (options.expected && manifest) await compareChunks(meta, manifest, options.expected, problems);
  return report({ docCount: meta.doc_count, totalTokens: meta.total_tokens });
}

async function readMeta(dir: string, problems: string[]): Promise<IndexMeta | undefined> {
  const path = join(dir, META_FILE);
  if (!existsSync(path)) {
    problems.push(`${META_FILE} is missing: ${dir} is not an index (build it with nx run <project>:xtr-index).`);
    return undefined;
  }
  let meta: IndexMeta;
  try {
    meta = parseMeta(await readFile(path, 'utf8'));
  } catch (error) {
    problems.push(`${META_FILE} is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
  const keys = Object.keys(meta);
  const missing = META_KEYS.filter((k) => !keys.includes(k));
  const extra = keys.filter((k) => !META_KEYS.includes(k));
  if (missing.length) problems.push(`${META_FILE} lacks ${missing.join(', ')}.`);
  if (extra.length) problems.push(`${META_FILE} has keys the Python reader does not expect: ${extra.join(', ')}.`);
  if (meta.dtype !== 'float16' && meta.dtype !== 'float32') problems.push(`dtype is ${JSON.stringify(meta.dtype)}, expected "float16" or "float32".`);
  if (!Number.isInteger(meta.dim) || meta.dim < 1) problems.push(`dim is ${meta.dim}, expected a positive integer.`);
  return missing.length || problems.length ? undefined : meta;
}

function checkStructure(meta: IndexMeta, problems: string[]): void {
  const { doc_count: count, chunk_ids: ids, offsets, lengths } = meta;
  for (const [name, list] of [['chunk_ids', ids], ['offsets', offsets], ['lengths', lengths]] as const) {
    if (list.length !== count) problems.push(`${name} has ${list.length} entries but doc_count is ${count}.`);
  }
  const duplicates: string[] = [];
  const unordered: string[] = [];
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] === ids[i - 1]) duplicates.push(String(ids[i]));
    else if (ids[i] < ids[i - 1]) unordered.push(`${ids[i]} after ${ids[i - 1]} at position ${i}`);
  }
  if (duplicates.length) problems.push(`chunk_ids are not unique: ${duplicates.length} duplicate(s), e.g. ${examples(duplicates)}.`);
  if (unordered.length) problems.push(`chunk_ids are not ascending: ${examples(unordered)}.`);

  const badLengths = lengths.flatMap((n, i) => (Number.isInteger(n) && n > 0 ? [] : [`lengths[${i}] = ${n}`]));
  if (badLengths.length) problems.push(`every chunk needs at least one token: ${examples(badLengths)}.`);
  const gaps: string[] = [];
  let expected = 0;
  for (let i = 0; i < Math.min(offsets.length, lengths.length); i++) {
    if (offsets[i] !== expected) gaps.push(`offsets[${i}] = ${offsets[i]}, expected ${expected}`);
    expected = offsets[i] + lengths[i];
  }
  if (gaps.length) problems.push(`offsets are not contiguous (offsets[i] must be offsets[i-1] + lengths[i-1]): ${examples(gaps)}.`);
  const sum = lengths.reduce((a, b) => a + b, 0);
  if (sum !== meta.total_tokens) problems.push(`lengths sum to ${sum} but total_tokens is ${meta.total_tokens}.`);
}

async function readManifest(dir: string, meta: IndexMeta, problems: string[]): Promise<IndexManifest | undefined> {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) {
    problems.push(`${MANIFEST_FILE} is missing: the checksum and content hashes cannot be checked. Rebuild the index.`);
    return undefined;
  }
  const manifest = JSON.parse(await readFile(path, 'utf8')) as IndexManifest;
  const pairs: [string, unknown, unknown][] = [
    ['dim', manifest.dim, meta.dim],
    ['dtype', manifest.dtype, meta.dtype],
    ['docCount', manifest.docCount, meta.doc_count],
    ['totalTokens', manifest.totalTokens, meta.total_tokens],
    ['tokensFile', manifest.tokensFile, TOKENS_FILE[meta.dtype]],
    ['contentHashes (count)', manifest.contentHashes?.length, meta.doc_count],
  ];
  for (const [field, ours, theirs] of pairs) {
    if (ours !== theirs) problems.push(`${MANIFEST_FILE} says ${field} ${ours} but ${META_FILE} says ${theirs}.`);
  }
  return manifest;
}

/** One pass over the token file: checksum, non-finite values and row norms. */
async function scanTokens(path: string, meta: IndexMeta, manifest: IndexManifest | undefined, tolerance: number, problems: string[]) {
  const { dim, dtype } = meta;
  const rowBytes = dim * ITEM_SIZE[dtype];
  const block = new Uint8Array(rowBytes * Math.max(1, Math.floor((8 << 20) / rowBytes)));
  // Both buffers are reused block after block: the scan allocates nothing per block.
  const decoded = new Float32Array(block.length / 2);
  const hash = createHash('sha256');
  const nonFinite: number[] = [];
  const offNorm: string[] = [];
  let row = 0;
  const handle = await open(path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await handle.read(block, 0, block.length);
      if (bytesRead === 0) break;
      hash.update(block.subarray(0, bytesRead));
      const whole = bytesRead - (bytesRead % rowBytes);
      const values =
        dtype === 'float16' ? float16ToFloat32(new Uint16Array(block.buffer, 0, whole / 2), decoded.subarray(0, whole / 2)) : new Float32Array(block.buffer, 0, whole / 4);
      for (let start = 0; start < values.length; start += dim, row++) {
        let sum = 0;
        for (let k = start; k < start + dim; k++) sum += values[k] * values[k];
        if (!Number.isFinite(sum)) nonFinite.push(row);
        else if (Math.abs(Math.sqrt(sum) - 1) > tolerance) offNorm.push(`row ${row} (chunk ${chunkOfRow(meta, row)}) has norm ${Math.sqrt(sum).toFixed(4)}`);
      }
    }
  } finally {
    await handle.close();
  }
  if (manifest && hash.digest('hex') !== manifest.tokensSha256) {
    problems.push(`${TOKENS_FILE[dtype]} does not match the checksum in ${MANIFEST_FILE}: the file was modified or corrupted after the build.`);
  }
  if (nonFinite.length) {
    problems.push(`${nonFinite.length} row(s) hold NaN or Infinity, e.g. ${examples(nonFinite.map((r) => `row ${r} (chunk ${chunkOfRow(meta, r)})`))}.`);
  }
  if (offNorm.length) problems.push(`${offNorm.length} row(s) are not unit length (tolerance ${tolerance}), e.g. ${examples(offNorm)}.`);
}

function chunkOfRow(meta: IndexMeta, row: number): string {
  let lo = 0;
  let hi = meta.offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (meta.offsets[mid] <= row) lo = mid;
    else hi = mid - 1;
  }
  return String(meta.chunk_ids[lo] ?? '?');
}

/** Compares the index's (id, content hash) pairs with the expected chunks, in whatever order those stream. */
async function compareChunks(meta: IndexMeta, manifest: IndexManifest, expected: ExpectedChunks, problems: string[]) {
  const ids = meta.chunk_ids;
  const position = new Map(ids.map((id, i) => [id, i]));
  const matched = new Uint8Array(ids.length);
  const missing: bigint[] = [];
  const changed: bigint[] = [];
  for await (const batch of expected) {
    batch.ids.forEach((id, j) => {
      const i = position.get(id);
      if (i === undefined) return void missing.push(id);
      matched[i] = 1;
      if (manifest.contentHashes[i] !== batch.contentHashes[j]) changed.push(id);
    });
  }
  const extra = ids.filter((_, k) => matched[k] === 0);
  if (missing.length) problems.push(`${missing.length} catalog chunk(s) are missing from the index, e.g. ${examples(missing)}.`);
  if (extra.length) problems.push(`${extra.length} indexed chunk(s) are not in the catalog, e.g. ${examples(extra)}.`);
  if (changed.length) problems.push(`${changed.length} chunk(s) have other content in the catalog than when indexed, e.g. ${examples(changed)}.`);
}
