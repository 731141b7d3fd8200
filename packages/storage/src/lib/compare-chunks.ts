import { formatContentHash } from './content-hash';
import { Examples } from './describe-value';
import { describeError } from './file-problems';

/** The chunks an index should hold, in any order (e.g. streamed from its catalog), with their 64-bit content hashes. */
export type ExpectedChunks = AsyncIterable<{ readonly ids: BigInt64Array; readonly contentHashes: readonly bigint[] }>;

/**
 * Compares the index's (id, content hash) pairs with the expected chunks, in whatever order those
 * stream. Content is compared only when there are hashes (the manifest's, aligned with `ids`).
 */
export async function compareChunks(
  ids: readonly bigint[],
  hashes: readonly string[] | undefined,
  expected: ExpectedChunks,
  problems: string[],
): Promise<void> {
  const position = new Map(ids.map((id, i) => [id, i]));
  const matched = new Uint8Array(ids.length);
  const missing = new Examples();
  const changed = new Examples();
  try {
    for await (const batch of expected) {
      batch.ids.forEach((id, j) => {
        const i = position.get(id);
        if (i === undefined) return missing.add(() => String(id));
        matched[i] = 1;
        if (hashes && hashes[i] !== formatContentHash(batch.contentHashes[j])) changed.add(() => String(id));
      });
    }
  } catch (error) {
    const reason = describeError(error);
    problems.push(
      `the expected chunks could not be read to the end (${reason}): the catalog comparison is incomplete.`,
    );
    return;
  }
  const extra = new Examples();
  matched.forEach((m, k) => m || extra.add(() => String(ids[k])));
  if (missing.count) problems.push(`${missing.count} catalog chunk(s) are missing from the index, e.g. ${missing}.`);
  if (extra.count) problems.push(`${extra.count} indexed chunk(s) are not in the catalog, e.g. ${extra}.`);
  if (changed.count) {
    problems.push(`${changed.count} chunk(s) have other content in the catalog than when indexed, e.g. ${changed}.`);
  }
}
