import { existsSync } from 'node:fs';
import { type ChunkDetails, lookupChunks, openCatalog } from '@xtr-nx/catalog';
import { type IndexManifest, IndexReader, MANIFEST_FILE, StorageError } from '@xtr-nx/storage';
import { DEFAULT_MAX_QUERY_TOKENS, openQueryEncoder, scoreQueries } from '@xtr-nx/search';
import { type BuildOptions, displayPath, normalizeBuildOptions } from '../config/normalize-options';
import { reportFailure, type RunLogger } from '../run-logger';
import { hitsAsJson, hitsAsTable } from './format-hits';
import type { SearchRequest } from './search-request';
import { withTokenTexts } from './token-texts';

/** Where results go: stdout in the CLI (the logger keeps stderr for problems). */
export interface SearchOutput {
  line(text: string): void;
  /** Columns a table line may use. */
  readonly width: number;
}

/** The index's manifest, which names the encoder queries must be encoded with. */
function manifestOf(reader: IndexReader, shown: string): IndexManifest {
  if (!reader.manifest)
    throw new StorageError(
      `${shown} has no ${MANIFEST_FILE}, so the encoder its vectors came from is unknown. Search indexes built by xtr (xtr build or nx run <project>:xtr-index).`,
    );
  return reader.manifest;
}

/** Where a hit's chunk comes from, as far as the catalog says. */
function whereFrom(detail: ChunkDetails | undefined) {
  return detail
    ? { uri: detail.uri, startLine: detail.startLine, endLine: detail.endLine, preview: detail.preview }
    : { uri: null, startLine: null, endLine: null, preview: null };
}

/**
 * The chunks' uri, lines and preview from the config's catalog. A missing or unreadable catalog
 * leaves hits without them (the index alone still answers), said once.
 */
async function chunkDetails(
  options: BuildOptions,
  ids: bigint[],
  logger: RunLogger,
  cwd: string,
): Promise<Map<bigint, ChunkDetails>> {
  const shown = displayPath(options.catalogPath, cwd);
  if (!existsSync(options.catalogPath)) {
    logger.error(`xtr search: catalog ${shown} not found; hits are shown by chunk id.`);
    return new Map();
  }
  try {
    const catalog = await openCatalog({
      path: options.catalogPath,
      table: options.table,
      memoryLimit: options.catalogMemoryLimit,
    });
    try {
      return await lookupChunks(catalog, ids);
    } finally {
      catalog.close();
    }
  } catch (error) {
    logger.error(`xtr search: cannot read catalog ${shown} (${(error as Error).message}); hits are shown by chunk id.`);
    return new Map();
  }
}

/** What `xtr search` does; returns whether it answered. */
export async function runSearch(
  configPath: string,
  request: SearchRequest,
  cwd: string,
  logger: RunLogger,
  output: SearchOutput,
): Promise<boolean> {
  try {
    const options = normalizeBuildOptions(configPath, { outputDir: request.dir }, cwd);
    const shown = displayPath(options.outputDir, cwd);
    const reader = IndexReader.open(options.outputDir);
    try {
      const manifest = manifestOf(reader, shown);
      // The content hash each chunk had when it was indexed.
      const indexedHash = (id: bigint) => {
        const location = reader.locate(id);
        return location && manifest.contentHashes[location.index];
      };
      const started = performance.now();
      const encoder = await openQueryEncoder(options.encoder, manifest, shown);
      try {
        const rows: Float32Array[] = [];
        for (const query of request.queries) rows.push(await encoder.encode(query));
        const hits = await scoreQueries(reader, rows, {
          k: request.k,
          mode: request.mode,
          candidates: request.candidates,
          tokenK: request.tokenK,
          maxQueryTokens: request.maxQueryTokens,
          explain: request.explain,
          threads: options.encoder.threads,
        });
        const ms = Math.round(performance.now() - started);
        const details = await chunkDetails(options, [...new Set(hits.flat().map((hit) => hit.id))], logger, cwd);
        for (const [q, query] of request.queries.entries()) {
          let queryHits = hits[q].map((hit) => ({ query, ...hit, ...whereFrom(details.get(hit.id)) }));
          if (request.explain) {
            const queryTokens = (await encoder.rowTokens(query)).slice(
              0,
              request.maxQueryTokens ?? DEFAULT_MAX_QUERY_TOKENS,
            );
            queryHits = await withTokenTexts(queryHits, queryTokens, details, indexedHash, encoder);
          }
          const scope = request.candidates ? `${request.candidates.length} candidates` : `${manifest.docCount} chunks`;
          const count = `${queryHits.length} hit${queryHits.length === 1 ? '' : 's'}`;
          const heading = `"${query}": ${request.mode} over ${scope} of ${shown}, ${count} (${ms} ms)`;
          const lines = request.json ? hitsAsJson(queryHits) : [heading, ...hitsAsTable(queryHits, output.width)];
          for (const line of lines) output.line(line);
        }
      } finally {
        await encoder.close();
      }
    } finally {
      reader.close();
    }
    return true;
  } catch (error) {
    reportFailure('search', error, logger);
    return false;
  }
}
