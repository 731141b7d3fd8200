import { relative } from 'node:path';
import { countChunks, openCatalog, streamChunks, type StreamStats } from '@xtr-nx/catalog';
import { createEncoder } from '@xtr-nx/encoder';
import { IndexWriter } from '@xtr-nx/storage';
import type { BuildOptions } from '../config/normalize-options';
import { TOOL } from '../tool';
import type { BuildSummary } from './build-summary';
import { type BuildLogger, Progress } from './progress';

export class BuildError extends Error {
  override readonly name = 'BuildError';
}

/**
 * catalog → encoder → storage. Chunks stream from DuckDB in windows, are encoded, and their rows
 * go straight to the staging file; only a complete index is published, so any failure leaves the
 * previous index as it was.
 */
export async function buildIndex(options: BuildOptions, logger: BuildLogger): Promise<BuildSummary> {
  const started = performance.now();
  const catalog = await openCatalog({ path: options.catalogPath, table: options.table });
  try {
    const total = await countChunks(catalog);
    if (total === 0) {
      throw new BuildError(
        `Catalog ${options.catalogPath} has no chunks with a non-NULL id in "${options.table}": nothing to index. ` +
          `Fill the catalog (or fix "catalog.path"/"catalog.table" in ${options.configPath}); the previous index, if any, is left as it was.`,
      );
    }
    const encoder = await createEncoder(options);
    try {
      const writer = await IndexWriter.create({ outDir: options.outputDir, dim: encoder.dim, dtype: options.dtype });
      try {
        const stats: StreamStats = { rows: 0, nullIds: 0 };
        const progress = new Progress(total, logger);
        let tokens = 0;
        for await (const batch of streamChunks(catalog, stats, { batchSize: options.readBatchSize })) {
          const encoded = await encoder.encode(batch.contents);
          await writer.append(batch.ids, encoded.lengths, encoded.vectors);
          tokens += encoded.vectors.length / encoder.dim;
          progress.update(stats.rows, tokens);
        }
        progress.done();
        const written = await writer.commit({
          tool: TOOL,
          encoder: { model: encoder.model, fingerprint: encoder.fingerprint },
          // Relative to the index folder, so the manifest is the same on every machine and cache restore.
          catalog: { path: relative(options.outputDir, options.catalogPath), table: options.table, nullIdsSkipped: stats.nullIds },
        });
        return {
          chunks: written.docCount,
          nullIdsSkipped: stats.nullIds,
          tokens: written.totalTokens,
          dim: encoder.dim,
          dtype: options.dtype,
          model: encoder.model,
          outputDir: written.outDir,
          files: written.files,
          bytes: written.bytes,
          elapsedMs: performance.now() - started,
        };
      } catch (error) {
        await writer.abort();
        throw error;
      }
    } finally {
      await encoder.close();
    }
  } finally {
    catalog.close();
  }
}
