import { type ChunkBatch, contentHash } from '@xtr-nx/catalog';
import { type EncodedBatch, TextEncodingError, type TokenEncoder, type TokenizedWindow } from '@xtr-nx/encoder';
import type { RowTable } from '@xtr-nx/storage';
import { BuildError } from './build-error';
import type { StageTimings } from './build-summary';
import type { ReuseSources } from './reuse/reuse-sources';
import { planWindow, type WindowPlan } from './reuse/window-plan';

/** Runs `work` on the texts of chunks `ids`, turning a per-text failure into one that names the chunk. */
export async function naming<T>(ids: readonly bigint[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TextEncodingError) throw new BuildError(`Chunk ${ids[error.textIndex]} ${error.message}`);
    throw error;
  }
}

/** A catalog window, planned (what to reuse) and its remaining texts tokenized. */
export interface PlannedWindow {
  readonly batch: ChunkBatch;
  readonly plan: WindowPlan;
  /** Ids of the chunks to encode, and their tokens (none when the window reuses every chunk). */
  readonly encodeIds: readonly bigint[];
  readonly tokens: TokenizedWindow | undefined;
}

/** Throws when chunks read are not the ones expected. */
export type ChunkCheck = (ids: BigInt64Array, hashes: readonly bigint[]) => void;

/** Catalog windows, timed, each planned and tokenized as soon as it is read. */
export async function* plannedWindows(
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

export const NOTHING_ENCODED: EncodedBatch = { lengths: new Int32Array(0), vectors: new Float32Array(0) };
