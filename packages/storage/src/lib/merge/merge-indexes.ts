import { IndexWriter, type ManifestInput, type WrittenIndex } from '../index-writer';
import type { OutputSlot } from '../output-slot';
import { ITEM_SIZE, StorageError } from '../types';
import { ShardSource } from './shard-source';

export interface MergeOptions {
  readonly outDir: string;
  /** The output folder, already claimed; without one the writer claims `outDir` itself. */
  readonly slot?: OutputSlot;
  /** Sees every chunk in id order (to fingerprint the catalog, say) before `manifest` is asked for. */
  readonly onChunks?: (ids: BigInt64Array, hashes: readonly bigint[]) => void;
}

const BATCH_BYTES = 8 << 20;

/** The fields every shard must share for their rows to form one index. */
function sameKind(a: ShardSource, b: ShardSource): string | undefined {
  const encoder = (s: ShardSource) => JSON.stringify((s.manifest.encoder as { fingerprint?: string })?.fingerprint);
  if (a.dim !== b.dim || a.dtype !== b.dtype) return `${a.dim}-wide ${a.dtype} rows, not ${b.dim}-wide ${b.dtype}`;
  if (encoder(a) !== encoder(b)) return `encoder ${encoder(a)}, not ${encoder(b)}`;
  return undefined;
}

/**
 * Streams shard indexes (each a published index over a disjoint set of chunks) into one index in
 * ascending id order — rows, metadata and manifest exactly as one build of all their chunks would
 * write them — and publishes it atomically. Each shard's token file is read once, front to back,
 * and must match its manifest's checksum, or nothing is published.
 */
export async function mergeIndexes(
  shardDirs: readonly string[],
  manifest: () => ManifestInput,
  options: MergeOptions,
): Promise<WrittenIndex> {
  const shards: ShardSource[] = [];
  let writer: IndexWriter | undefined;
  try {
    for (const dir of shardDirs) shards.push(await ShardSource.open(dir));
    const [first] = shards;
    if (!first || shards.every((shard) => shard.docCount === 0))
      throw new StorageError(`No chunks to merge: the ${shards.length} shard(s) are all empty.`);
    for (const shard of shards.slice(1)) {
      const differs = sameKind(first, shard);
      if (differs) throw new StorageError(`Shards ${first.dir} and ${shard.dir} differ (${differs}): rebuild them.`);
    }
    const { dim, dtype } = first;
    const rowBytes = dim * ITEM_SIZE[dtype];
    writer = await IndexWriter.create({ outDir: options.outDir, dim, dtype, slot: options.slot });
    const buffer = new Uint8Array(BATCH_BYTES);
    let batch: { ids: bigint[]; hashes: bigint[]; lengths: number[]; bytes: Uint8Array } = fresh(buffer);
    const flush = async () => {
      if (batch.ids.length === 0) return;
      const ids = BigInt64Array.from(batch.ids);
      options.onChunks?.(ids, batch.hashes);
      const view = batch.bytes.subarray(0, batch.lengths.reduce((sum, n) => sum + n, 0) * rowBytes);
      const vectors =
        dtype === 'float16'
          ? new Uint16Array(view.buffer, view.byteOffset, view.length / 2)
          : new Float32Array(view.buffer, view.byteOffset, view.length / 4);
      await (writer as IndexWriter).append(ids, Int32Array.from(batch.lengths), vectors, batch.hashes);
      batch = fresh(buffer);
    };
    let used = 0;
    for (;;) {
      let next: ShardSource | undefined;
      let nextId: bigint | undefined;
      for (const shard of shards) {
        const id = shard.headId;
        if (id !== undefined && (nextId === undefined || id < nextId)) [next, nextId] = [shard, id];
      }
      if (!next) break;
      const head = next.head;
      const bytes = head.length * rowBytes;
      if (used + bytes > batch.bytes.length) {
        await flush();
        used = 0;
        // A chunk larger than the batch buffer gets a buffer of its own.
        if (bytes > buffer.length) batch = fresh(new Uint8Array(bytes));
      }
      await next.take(batch.bytes, used);
      used += bytes;
      batch.ids.push(head.id);
      batch.hashes.push(head.hash);
      batch.lengths.push(head.length);
    }
    await flush();
    const damaged = shards.find((shard) => !shard.verified());
    if (damaged) {
      throw new StorageError(
        `Shard ${damaged.dir}: its token file does not match the checksum in its manifest. Rebuild that shard.`,
      );
    }
    const written = await writer.commit(manifest());
    writer = undefined;
    return written;
  } finally {
    await writer?.abort();
    await Promise.all(shards.map((shard) => shard.close()));
  }
}

function fresh(bytes: Uint8Array) {
  return { ids: [] as bigint[], hashes: [] as bigint[], lengths: [] as number[], bytes };
}
