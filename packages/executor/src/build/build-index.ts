import { relative } from 'node:path';
import { CatalogFingerprint, type ChunkBatch, contentHash, countChunks, openCatalog, streamChunks, type StreamStats } from '@xtr-nx/catalog';
import { createEncoder, type EncodedBatch, TextEncodingError, type TokenEncoder } from '@xtr-nx/encoder';
import { IndexWriter } from '@xtr-nx/storage';
import type { BuildOptions } from '../config/normalize-options';
import { TOOL } from '../tool';
import type { BuildSummary } from './build-summary';
import { type BuildLogger, Progress } from './progress';

export class BuildError extends Error {
  override readonly name = 'BuildError';
}

/** Paths in the manifest are relative to the index folder: the same on every machine and after a cache restore. */
function portablePath(outputDir: string, path: string): string {
  return path.startsWith('builtin:') ? path : relative(outputDir, path);
}

/** Encodes one batch, turning a per-text failure into one that names the chunk. */
async function encodeBatch(encoder: TokenEncoder, batch: ChunkBatch): Promise<EncodedBatch> {
  try {
    return await encoder.encode(batch.contents);
  } catch (error) {
    if (error instanceof TextEncodingError) throw new BuildError(`Chunk ${batch.ids[error.textIndex]} ${error.message}`);
    throw error;
  }
}

/**
 * catalog → encoder → storage. Chunks stream from DuckDB in windows, are encoded, and their rows
 * go straight to the staging file; only a complete index is published, so any failure leaves the
 * previous index as it was.
 */
export async function buildIndex(options: BuildOptions, logger: BuildLogger): Promise<BuildSummary> {
  const started = performance.now();
  const catalog = await openCatalog({ path: options.catalogPath, table: options.table });
  let encoder: TokenEncoder | undefined;
  let writer: IndexWriter | undefined;
  try {
    const total = await countChunks(catalog);
    if (total === 0) {
      throw new BuildError(
        `Catalog ${options.catalogPath} has no chunks with a non-NULL id in "${options.table}": nothing to index. ` +
          `Fill the catalog (or fix "catalog.path"/"catalog.table" in ${options.configPath}); the previous index, if any, is left as it was.`,
      );
    }
    encoder = await createEncoder(options.encoder);
    if (logger.isVerbose) {
      logger.info(`xtr build options: ${JSON.stringify(options, null, 2)}`);
      logger.info(`encoder ${encoder.model}: dim ${encoder.dim ?? '(from the first batch)'}, fingerprint ${encoder.fingerprint}`);
    }
    const stats: StreamStats = { rows: 0, nullIds: 0 };
    const progress = new Progress(total, logger);
    const fingerprint = new CatalogFingerprint();
    let tokens = 0;
    for await (const batch of streamChunks(catalog, stats, { batchSize: options.window })) {
      const encoded = await encodeBatch(encoder, batch);
      // The width of a learned model is known once it has run.
      writer ??= await IndexWriter.create({ outDir: options.outputDir, dim: encoder.dim as number, dtype: options.dtype });
      const hashes = batch.contents.map(contentHash);
      fingerprint.update(batch.ids, hashes);
      await writer.append(batch.ids, encoded.lengths, encoded.vectors, hashes);
      tokens += encoded.lengths.reduce((sum, n) => sum + n, 0);
      progress.update(stats.rows, tokens);
    }
    progress.done();
    if (!writer) throw new BuildError(`Catalog ${options.catalogPath} yielded no chunks while streaming; nothing to index.`);
    const written = await writer.commit({
      tool: TOOL,
      encoder: { model: portablePath(options.outputDir, encoder.model), fingerprint: encoder.fingerprint },
      catalog: {
        path: portablePath(options.outputDir, options.catalogPath),
        table: options.table,
        nullIdsSkipped: stats.nullIds,
        fingerprint: fingerprint.digest(),
      },
    });
    writer = undefined;
    return {
      chunks: written.docCount,
      nullIdsSkipped: stats.nullIds,
      tokens: written.totalTokens,
      dim: encoder.dim as number,
      dtype: options.dtype,
      model: encoder.model,
      outputDir: written.outDir,
      files: written.files,
      bytes: written.bytes,
      elapsedMs: performance.now() - started,
    };
  } finally {
    await writer?.abort();
    await encoder?.close();
    catalog.close();
  }
}
