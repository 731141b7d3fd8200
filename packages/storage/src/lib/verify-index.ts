import { join } from 'node:path';
import { compareChunks, type ExpectedChunks } from './compare-chunks';
import { describeError, readText } from './file-problems';
import { checkManifestText, compareWithMeta } from './manifest-check';
import { type CheckedMeta, checkMetaText, checkStructure } from './meta-check';
import { readableIndexDir } from './publish';
import { checkTokens } from './tokens-check';
import { type Dtype, MANIFEST_FILE, META_FILE, TOKENS_FILE } from './types';

export type { ExpectedChunks } from './compare-chunks';

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

const NORM_TOLERANCE: Record<Dtype, number> = { float16: 1e-2, float32: 1e-4 };

/**
 * Checks everything a reader relies on: meta structure, offsets, ids, file size, manifest
 * agreement, checksum, finite rows of unit norm (unless the manifest says rows were not
 * normalised), and (with `expected`) that the index holds exactly the expected chunks with the
 * same content. Never throws: whatever the files hold, each defect is one sentence in `problems`.
 */
export async function verifyIndex(dir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const problems: string[] = [];
  let meta: CheckedMeta = {};
  try {
    meta = await verifyFiles(dir, options, problems);
  } catch (error) {
    const reason = describeError(error);
    problems.push(`verify stopped early (${reason}): a bug in xtr verify; the problems listed before are real.`);
  }
  const { doc_count: docCount, total_tokens: totalTokens } = meta;
  return {
    dir,
    ok: problems.length === 0,
    problems,
    ...(docCount !== undefined && { docCount }),
    ...(totalTokens !== undefined && { totalTokens }),
  };
}

/** Each check runs on the fields it needs that are valid; a defect found once is not reported again downstream. */
async function verifyFiles(requested: string, options: VerifyOptions, problems: string[]): Promise<CheckedMeta> {
  // A publish that died between its renames left the index in its retired folder: read it there, or put it back.
  const dir = readableIndexDir(requested);
  const notIndex = `${META_FILE} is missing: ${dir} is not an index (build it with nx run <project>:xtr-index).`;
  const metaText = await readText(dir, META_FILE, problems, notIndex);
  if (metaText === undefined) return {};
  const meta = checkMetaText(metaText, problems);
  checkStructure(meta, problems);

  const noManifest = `${MANIFEST_FILE} is missing: the checksum and content hashes cannot be checked. Rebuild the index.`;
  const manifestText = await readText(dir, MANIFEST_FILE, problems, noManifest);
  const manifest = manifestText === undefined ? undefined : checkManifestText(manifestText, problems);
  if (manifest) compareWithMeta(manifest, meta, problems);

  const { dtype, chunk_ids: ids } = meta;
  if (dtype) {
    // Indexes built without normalisation are checked for finite values only; older manifests lack the flag.
    const tolerance = manifest?.normalized === false ? undefined : (options.normTolerance ?? NORM_TOLERANCE[dtype]);
    await checkTokens(join(dir, TOKENS_FILE[dtype]), { ...meta, dtype }, manifest, tolerance, problems);
  }
  if (options.expected && ids) {
    const hashes = manifest?.contentHashes?.length === ids.length ? manifest.contentHashes : undefined;
    await compareChunks(ids, hashes, options.expected, problems);
  }
  return meta;
}
