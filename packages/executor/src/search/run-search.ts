import { existsSync } from 'node:fs';
import { type ChunkDetails, lookupChunks, openCatalog } from '@xtr-nx/catalog';
import { IndexReader, MANIFEST_FILE, StorageError } from '@xtr-nx/storage';
import { openQueryEncoder, scoreQueries, type SearchHit } from '@xtr-nx/search';
import { type BuildOptions, displayPath, normalizeBuildOptions } from '../config/normalize-options';
import { reportFailure, type RunLogger } from '../run-logger';
import { hitsAsJson, hitsAsTable } from './format-hits';
import type { SearchRequest, ShownHit } from './search-request';

/** Where results go: stdout in the CLI (the logger keeps stderr for problems). */
export interface SearchOutput {
  line(text: string): void;
  /** Columns a table line may use. */
  readonly width: number;
}

/** The index's manifest, which names the encoder queries must be encoded with. */
function readManifest(dir: string, shown: string) {
  const reader = IndexReader.open(dir);
  reader.close();
  if (!reader.manifest)
    throw new StorageError(
      `${shown} has no ${MANIFEST_FILE}, so the encoder its vectors came from is unknown. Search indexes built by xtr (xtr build or nx run <project>:xtr-index).`,
    );
  return { dir: reader.dir, manifest: reader.manifest };
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
    const { dir, manifest } = readManifest(options.outputDir, shown);
    const started = performance.now();
    const encoder = await openQueryEncoder(options.encoder, manifest, shown);
    let rows: Float32Array[];
    try {
      rows = [];
      for (const query of request.queries) rows.push(await encoder.encode(query));
    } finally {
      await encoder.close();
    }
    const hits = await scoreQueries(dir, rows, {
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
    const shownHits = (queryHits: SearchHit[], query: string): ShownHit[] =>
      queryHits.map((hit) => ({
        query,
        ...hit,
        ...(details.get(hit.id) ?? { uri: null, startLine: null, endLine: null, preview: null }),
      }));
    request.queries.forEach((query, q) => {
      if (request.json) {
        for (const line of hitsAsJson(shownHits(hits[q], query))) output.line(line);
        return;
      }
      const scope = request.candidates ? `${request.candidates.length} candidates` : `${manifest.docCount} chunks`;
      output.line(`"${query}": ${request.mode} over ${scope} of ${shown}, ${hits[q].length} hits (${ms} ms)`);
      for (const line of hitsAsTable(shownHits(hits[q], query), output.width)) output.line(line);
    });
    return true;
  } catch (error) {
    reportFailure('search', error, logger);
    return false;
  }
}
