import { CatalogFingerprint, contentHash } from '@xtr-nx/catalog';
import { createEncoder, type ResolvedEncoderOptions } from '@xtr-nx/encoder';
import { IndexWriter } from '@xtr-nx/storage';
import { readWindows } from './windows';

export interface ReferenceRun {
  readonly chunks: number;
  readonly tokens: number;
  readonly tokensPerSecond: number;
}

/**
 * The baseline the build is compared with: the straightforward pipeline, doing the same work with
 * none of the build's scheduling. It reads the whole catalog into memory, then tokenizes and
 * encodes one chunk per call (one text per tokenizer call and per `session.run`, in catalog
 * order, no length grouping, no overlap), keeps every vector, and at the end hashes the contents
 * and writes all rows in one append. The output work equals the build's: float16 from
 * onnxruntime's cast, content hashes, the catalog fingerprint and a committed index; so the
 * difference between the two is batching, length grouping and overlap, nothing else.
 * Timed from opening the catalog to the commit, model load included, as the build is.
 */
export async function referencePipeline(
  encoder: ResolvedEncoderOptions,
  catalogPath: string,
  outDir: string,
): Promise<ReferenceRun> {
  const started = performance.now();
  const [all] = await readWindows(catalogPath, Number.MAX_SAFE_INTEGER);
  const session = await createEncoder({ ...encoder, batchSize: 1, outputDtype: 'float16' });
  try {
    const lengths = new Int32Array(all.contents.length);
    const vectors: Uint16Array[] = [];
    for (const [i, content] of all.contents.entries()) {
      const one = await session.encode([content]);
      lengths[i] = one.lengths[0];
      vectors.push(one.vectors as Uint16Array);
    }
    const hashes = all.contents.map(contentHash);
    const fingerprint = new CatalogFingerprint();
    fingerprint.update(all.ids, hashes);
    const writer = await IndexWriter.create({ outDir, dim: session.dim as number, dtype: 'float16' });
    await writer.append(all.ids, lengths, concat(vectors), hashes);
    const written = await writer.commit({
      tool: { name: 'reference', version: '0' },
      encoder: { model: session.model, fingerprint: session.fingerprint, normalized: session.normalized },
      catalog: { path: catalogPath, table: 'chunks', nullIdsSkipped: 0, fingerprint: fingerprint.digest() },
    });
    const seconds = (performance.now() - started) / 1000;
    return { chunks: written.docCount, tokens: written.totalTokens, tokensPerSecond: written.totalTokens / seconds };
  } finally {
    await session.close();
  }
}

function concat(parts: readonly Uint16Array[]): Uint16Array {
  const out = new Uint16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
