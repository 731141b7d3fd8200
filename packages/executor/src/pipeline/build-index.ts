import { basename } from 'node:path';
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
import {
  createEncoder,
  type EncodedBatch,
  modelFiles,
  TextEncodingError,
  type TokenEncoder,
  type TokenizedWindow,
} from '@xtr-nx/encoder';
import { IndexWriter, OutputSlot, type ProtectedPath, RowTable } from '@xtr-nx/storage';
import type { BuildOptions } from '../config/normalize-options';
import { TOOL } from '../tool';
import type { BuildSummary, StageTimings } from './build-summary';
import { BuildError } from './build-error';
import { abortable } from './interrupts';
import { portablePath } from './portable-path';
import { outputGuards } from './output-guards';
import { prefetch } from './prefetch';
import { type BuildLogger, Progress } from './progress';
import { WindowAssembler } from './reuse/assemble-window';
import { countWindow, encodingSavedMs, noReuse } from './reuse/reuse-counts';
import { ReuseSources } from './reuse/reuse-sources';
import { planWindow, type WindowPlan } from './reuse/window-plan';
import { readShardChunks, type ShardChunks } from '../shards/shard-plan';

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

/** Runs `work` on the texts of chunks `ids`, turning a per-text failure into one that names the chunk. */
async function naming<T>(ids: readonly bigint[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TextEncodingError) throw new BuildError(`Chunk ${ids[error.textIndex]} ${error.message}`);
    throw error;
  }
}

/** A catalog window, planned (what to reuse) and its remaining texts tokenized. */
interface PlannedWindow {
  readonly batch: ChunkBatch;
  readonly plan: WindowPlan;
  /** Ids of the chunks to encode, and their tokens (none when the window reuses every chunk). */
  readonly encodeIds: readonly bigint[];
  readonly tokens: TokenizedWindow | undefined;
}

/** Throws when chunks read are not the ones expected. */
type ChunkCheck = (ids: BigInt64Array, hashes: readonly bigint[]) => void;

/** Catalog windows, timed, each planned and tokenized as soon as it is read. */
async function* plannedWindows(
  catalog: AsyncIterable<ChunkBatch>,
  encoder: TokenEncoder,
  sources: ReuseSources,
  planned: RowTable,
  stages: StageTimings,
  check?: ChunkCheck,
): AsyncGenerator<PlannedWindow> {
  const iterator = catalog[Symbol.asyncIterator]();
  for (;;) {
    const reading = performance.now();
    const next = await iterator.next();
    stages.readMs += performance.now() - reading;
    if (next.done) return;
    const batch = next.value;
    const hashes = batch.contents.map(contentHash);
    check?.(batch.ids, hashes);
    const plan = await planWindow(hashes, sources, planned);
    const encodeIds = plan.encode.map((i) => batch.ids[i]);
    const texts = plan.encode.map((i) => batch.contents[i]);
    const tokens = texts.length > 0 ? await naming(encodeIds, () => encoder.tokenize(texts)) : undefined;
    yield { batch, plan, encodeIds, tokens };
  }
}

function changedSincePlan(options: BuildOptions, what: string): BuildError {
  return new BuildError(
    `Catalog ${options.catalogPath} changed since shard ${options.shard?.index}'s plan was made (${what}). ` +
      `Run the plan again (nx run <project>:xtr-index plans, builds the shards and merges them).`,
  );
}

/** Checks each chunk a shard reads against the content hash its plan lists. */
function planCheck(shard: ShardChunks, options: BuildOptions): ChunkCheck {
  const expected = new Map<bigint, bigint>();
  shard.ids.forEach((id, i) => expected.set(id, shard.hashes[i]));
  return (ids, hashes) =>
    ids.forEach((id, i) => {
      if (expected.get(id) !== hashes[i]) throw changedSincePlan(options, `chunk ${id} has other content`);
    });
}

/** An index of no chunks, as wide as the encoder's vectors (learned from one tiny run if need be). */
async function emptyWriter(model: TokenEncoder, options: BuildOptions, slot: OutputSlot): Promise<IndexWriter> {
  if (model.dim === undefined) await model.encode(['x']);
  return IndexWriter.create({ outDir: slot.outDir, dim: model.dim as number, dtype: options.dtype, slot });
}

const NOTHING_ENCODED: EncodedBatch = { lengths: new Int32Array(0), vectors: new Float32Array(0) };

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
