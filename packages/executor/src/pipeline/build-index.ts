import { basename } from 'node:path';
import { isBuiltinModel } from '../config/defaults';
import {
  CatalogFingerprint,
  type ChunkBatch,
  countChunks,
  openCatalog,
  streamChunks,
  type StreamStats,
} from '@xtr-nx/catalog';
import { createEncoder, type EncodedBatch, modelFiles, type TokenEncoder } from '@xtr-nx/encoder';
import { IndexWriter, OutputSlot, type ProtectedPath, RowTable } from '@xtr-nx/storage';
import type { BuildOptions } from '../config/normalize-options';
import { TOOL } from '../tool';
import { addLong, type BuildSummary, type LongChunks, type StageTimings } from './build-summary';
import { BuildError } from './build-error';
import { abortable } from './interrupts';
import { portablePath } from './portable-path';
import { outputGuards } from './output-guards';
import { prefetch } from './prefetch';
import { type BuildLogger, Progress } from './progress';
import { WindowAssembler } from './reuse/assemble-window';
import { countWindow, encodingSavedMs, noReuse } from './reuse/reuse-counts';
import { ReuseSources } from './reuse/reuse-sources';
import type { WindowPlan } from './reuse/window-plan';
import { naming, NOTHING_ENCODED, plannedWindows } from './planned-windows';
import { changedSincePlan, emptyWriter, planCheck } from '../shards/shard-build';
import { readShardChunks } from '../shards/shard-plan';

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
  let sources: ReuseSources | undefined;
  const reuse = noReuse();
  try {
    catalog = await openCatalog({
      path: options.catalogPath,
      table: options.table,
      memoryLimit: options.catalogMemoryLimit,
    });
    // A shard builds exactly the chunks its plan lists, and checks each against the plan's hash.
    const shard = options.shard && readShardChunks(options.shard.planDir, options.shard.index);
    const total = shard ? shard.ids.length : await abortable(countChunks(catalog), signal);
    if (total === 0 && !shard) {
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
    const opening = performance.now();
    sources = await abortable(
      ReuseSources.open(
        { reuse: options.reuse, outputDir: slot.outDir, store: options.store },
        model,
        options.dtype,
        logger,
      ),
      signal,
    );
    if (logger.isVerbose) sources.notes.forEach((note) => logger.info(note));
    const reuseSources = sources;
    const stages: StageTimings = {
      setupMs: opening - started,
      reuseSetupMs: performance.now() - opening,
      readMs: 0,
      tokenizeMs: 0,
      runMs: 0,
      postMs: 0,
      convertMs: 0,
      writeMs: 0,
    };
    let tokens = 0;
    const { overflow, maxLength } = options.encoder;
    let long: LongChunks = { overflow, maxLength, texts: 0, cutTokens: 0, extraWindows: 0 };
    // Every text of the build, once: where its rows are in arrival order, once written.
    const planned = new RowTable(total);
    let assembler: WindowAssembler | undefined;
    /** Puts the window's rows together, hashes, converts and writes them. */
    const store = async ({ batch, plan, encoded }: { batch: ChunkBatch; plan: WindowPlan; encoded: EncodedBatch }) => {
      // A learned model's width is known once it has run, or from the index it reuses.
      const dim = (model.dim ?? reuseSources.previous?.dim) as number;
      reuseSources.widthKnown(dim);
      writer ??= await IndexWriter.create({ outDir: slot.outDir, dim, dtype: options.dtype, slot });
      assembler ??= new WindowAssembler(options.dtype, reuseSources, writer, planned);
      const window = await assembler.assemble(plan, encoded, dim);
      const arrivalStart = writer.rowsWritten;
      fingerprint.update(batch.ids, plan.hashes);
      await writer.append(batch.ids, window.lengths, window.vectors, plan.hashes);
      assembler.record(plan, window, arrivalStart, dim);
      countWindow(reuse, plan, window.lengths);
      tokens += window.lengths.reduce((sum, n) => sum + n, 0);
      progress.update(stats.rows, tokens);
    };
    let previous: { batch: ChunkBatch; plan: WindowPlan; encoded: EncodedBatch } | undefined;
    const chunks = streamChunks(catalog, stats, { batchSize: options.window, ids: shard?.ids });
    const check = shard && planCheck(shard, options);
    const windows = prefetch(plannedWindows(chunks, model, sources, planned, stages, check));
    for await (const { batch, plan, encodeIds, tokens: tokenized } of windows) {
      signal?.throwIfAborted();
      long = addLong(long, tokenized?.long);
      encoding = tokenized
        ? naming(encodeIds, () => model.encodeTokenized(tokenized))
        : Promise.resolve(NOTHING_ENCODED);
      // Observed below; this keeps a failure during `store` from leaving it unhandled meanwhile.
      encoding.catch(() => undefined);
      // Window n-1 is stored while onnxruntime encodes window n.
      if (previous) await store(previous);
      previous = { batch, plan, encoded: await abortable(encoding, signal) };
    }
    if (previous) await store(previous);
    progress.done();
    signal?.throwIfAborted();
    if (shard && stats.rows !== total) throw changedSincePlan(options, `${total - stats.rows} of its chunks are gone`);
    // A shard may own no chunk: it still publishes an (empty) index for the merge to count.
    if (!writer && shard) writer = await emptyWriter(model, options, slot);
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
      reuse,
      long,
      encodingSavedMs: encodingSavedMs(reuse, model.timings, sources),
      store: sources.storeReport,
    };
  } finally {
    await writer?.abort();
    await sources?.close(signal?.aborted ?? false);
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
