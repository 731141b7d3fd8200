import { basename, relative } from 'node:path';
import { isBuiltinModel } from '../config/defaults';
import {
  CatalogFingerprint,
  type ChunkBatch,
  contentHash,
  countChunks,
  openCatalog,
  streamChunks,
  type StreamStats,
} from '@xtr-nx/catalog';
import { createEncoder, type EncodedBatch, modelFiles, TextEncodingError, type TokenEncoder } from '@xtr-nx/encoder';
import { IndexWriter, OutputSlot, type ProtectedPath } from '@xtr-nx/storage';
import type { BuildOptions } from '../config/normalize-options';
import { TOOL } from '../tool';
import type { BuildSummary, StageTimings } from './build-summary';
import { abortable } from './interrupts';
import { outputGuards } from './output-guards';
import { prefetch } from './prefetch';
import { type BuildLogger, Progress } from './progress';

export class BuildError extends Error {
  override readonly name = 'BuildError';
}

/** Paths in the manifest are relative to the index folder: the same on every machine and after a cache restore. */
function portablePath(outputDir: string, path: string): string {
  return isBuiltinModel(path) ? path : relative(outputDir, path);
}

/**
 * External data files Nx will not hash: the inferred target's inputs cover `<model>*` only, so
 * weights under another name could change without a rebuild.
 */
function unhashedModelFiles(model: string): string[] {
  if (isBuiltinModel(model)) return [];
  return modelFiles(model)
    .slice(1)
    .filter((file) => !basename(file).startsWith(basename(model)));
}

/** Runs `work`, turning a per-text failure into one that names the chunk. */
async function naming<T>(batch: ChunkBatch, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TextEncodingError)
      throw new BuildError(`Chunk ${batch.ids[error.textIndex]} ${error.message}`);
    throw error;
  }
}

/** Catalog windows, timed, each tokenized as soon as it is read. */
async function* tokenizedWindows(catalog: AsyncIterable<ChunkBatch>, encoder: TokenEncoder, stages: StageTimings) {
  const iterator = catalog[Symbol.asyncIterator]();
  for (;;) {
    const reading = performance.now();
    const next = await iterator.next();
    stages.readMs += performance.now() - reading;
    if (next.done) return;
    const batch = next.value;
    yield { batch, tokens: await naming(batch, () => encoder.tokenize(batch.contents)) };
  }
}

export interface BuildControl {
  /** Paths the output folder must neither be nor contain, beyond the build's own inputs (e.g. project roots). */
  readonly protect?: readonly ProtectedPath[];
  /** Aborting stops the build at once: nothing is published, the staging folder is removed. */
  readonly signal?: AbortSignal;
}

/**
 * catalog → encoder → storage, overlapped: while onnxruntime encodes window n, window n+1 is read
 * and tokenized and window n-1 is hashed, converted and written (one of each in flight, so memory
 * stays bounded); inside a window the next batch runs while the last one is post-processed. Rows
 * go straight to the staging file; only a complete index is published, so any failure leaves the
 * previous index as it was.
 */
export async function buildIndex(
  options: BuildOptions,
  logger: BuildLogger,
  control: BuildControl = {},
): Promise<BuildSummary> {
  const started = performance.now();
  const { signal } = control;
  for (const warning of options.warnings) logger.info(warning);
  // Before any work: a folder the build must not replace is refused now, not after hours of encoding.
  const slot = await OutputSlot.claim(options.outputDir, outputGuards(options, control.protect), {
    onWait: (message) => logger.info(message),
    signal,
  });
  let catalog: Awaited<ReturnType<typeof openCatalog>> | undefined;
  let encoder: TokenEncoder | undefined;
  let writer: IndexWriter | undefined;
  let encoding: Promise<EncodedBatch> | undefined;
  try {
    catalog = await openCatalog({
      path: options.catalogPath,
      table: options.table,
      memoryLimit: options.catalogMemoryLimit,
    });
    const total = await abortable(countChunks(catalog), signal);
    if (total === 0) {
      throw new BuildError(
        `Catalog ${options.catalogPath} has no chunks with a non-NULL id in "${options.table}": nothing to index. ` +
          `Fill the catalog (or fix "catalog.path"/"catalog.table" in ${options.configPath}); the previous index, if any, is left as it was.`,
      );
    }
    // float16 indexes get float16 straight from onnxruntime's cast (numpy-exact), not from JS.
    const model = await abortable(createEncoder({ ...options.encoder, outputDtype: options.dtype }), signal);
    encoder = model;
    const unhashed = unhashedModelFiles(model.model);
    if (unhashed.length > 0) {
      logger.info(
        `warning: model ${model.model} keeps weights in ${unhashed.join(', ')}; Nx hashes only files named ${basename(model.model)}*, ` +
          `so a change there would not rebuild the index. Rename the data file(s) to start with "${basename(model.model)}" or add them to the target's inputs.`,
      );
    }
    if (logger.isVerbose) {
      logger.info(`xtr build options: ${JSON.stringify(options, null, 2)}`);
      logger.info(
        `encoder ${model.model}: dim ${model.dim ?? '(from the first batch)'}, fingerprint ${model.fingerprint}`,
      );
    }
    const stats: StreamStats = { rows: 0, nullIds: 0 };
    const progress = new Progress(total, logger);
    const fingerprint = new CatalogFingerprint();
    const stages: StageTimings = {
      setupMs: performance.now() - started,
      readMs: 0,
      tokenizeMs: 0,
      runMs: 0,
      postMs: 0,
      convertMs: 0,
      writeMs: 0,
    };
    let tokens = 0;
    /** Hashes, float16 and write of one encoded window. */
    const store = async ({ batch, encoded }: { batch: ChunkBatch; encoded: EncodedBatch }) => {
      // The width of a learned model is known once it has run.
      writer ??= await IndexWriter.create({
        outDir: slot.outDir,
        dim: model.dim as number,
        dtype: options.dtype,
        slot,
      });
      const hashes = batch.contents.map(contentHash);
      fingerprint.update(batch.ids, hashes);
      await writer.append(batch.ids, encoded.lengths, encoded.vectors, hashes);
      tokens += encoded.lengths.reduce((sum, n) => sum + n, 0);
      progress.update(stats.rows, tokens);
    };
    let previous: { batch: ChunkBatch; encoded: EncodedBatch } | undefined;
    const windows = prefetch(
      tokenizedWindows(streamChunks(catalog, stats, { batchSize: options.window }), model, stages),
    );
    for await (const { batch, tokens: tokenized } of windows) {
      signal?.throwIfAborted();
      encoding = naming(batch, () => model.encodeTokenized(tokenized));
      // Observed below; this keeps a failure during `store` from leaving it unhandled meanwhile.
      encoding.catch(() => undefined);
      // Window n-1 is stored while onnxruntime encodes window n.
      if (previous) await store(previous);
      previous = { batch, encoded: await abortable(encoding, signal) };
    }
    if (previous) await store(previous);
    progress.done();
    signal?.throwIfAborted();
    if (!writer) {
      throw new BuildError(`Catalog ${options.catalogPath} yielded no chunks while streaming; nothing to index.`);
    }
    const written = await writer.commit({
      tool: TOOL,
      encoder: {
        model: portablePath(options.outputDir, model.model),
        fingerprint: model.fingerprint,
        normalized: model.normalized,
      },
      catalog: {
        path: portablePath(options.outputDir, options.catalogPath),
        table: options.table,
        nullIdsSkipped: stats.nullIds,
        fingerprint: fingerprint.digest(),
      },
    });
    const done = writer;
    writer = undefined;
    return {
      chunks: written.docCount,
      nullIdsSkipped: stats.nullIds,
      tokens: written.totalTokens,
      dim: model.dim as number,
      dtype: options.dtype,
      model: model.model,
      outputDir: options.outputDir,
      files: written.files,
      bytes: written.bytes,
      elapsedMs: performance.now() - started,
      stages: { ...stages, ...model.timings, ...done.timings },
    };
  } finally {
    await writer?.abort();
    await slot.release();
    // Interrupted: the process exits next, and the model may still be mid-run; closing native
    // resources under it would only risk a crash.
    if (!signal?.aborted) {
      await encoding?.catch(() => undefined);
      await encoder?.close();
      catalog?.close();
    }
  }
}
