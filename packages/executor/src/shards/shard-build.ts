import { IndexWriter, type OutputSlot } from '@xtr-nx/storage';
import type { TokenEncoder } from '@xtr-nx/encoder';
import type { BuildOptions } from '../config/normalize-options';
import { BuildError } from '../pipeline/build-error';
import type { ChunkCheck } from '../pipeline/planned-windows';
import type { ShardChunks } from './shard-plan';

export function changedSincePlan(options: BuildOptions, what: string): BuildError {
  return new BuildError(
    `Catalog ${options.catalogPath} changed since shard ${options.shard?.index}'s plan was made (${what}). ` +
      `Run the plan again (nx run <project>:xtr-index plans, builds the shards and merges them).`,
  );
}

/** Checks each chunk a shard reads against the content hash its plan lists. */
export function planCheck(shard: ShardChunks, options: BuildOptions): ChunkCheck {
  const expected = new Map<bigint, bigint>();
  shard.ids.forEach((id, i) => expected.set(id, shard.hashes[i]));
  return (ids, hashes) =>
    ids.forEach((id, i) => {
      if (expected.get(id) !== hashes[i]) throw changedSincePlan(options, `chunk ${id} has other content`);
    });
}

/** An index of no chunks, as wide as the encoder's vectors (learned from one tiny run if need be). */
export async function emptyWriter(model: TokenEncoder, options: BuildOptions, slot: OutputSlot): Promise<IndexWriter> {
  if (model.dim === undefined) await model.encode(['x']);
  return IndexWriter.create({ outDir: slot.outDir, dim: model.dim as number, dtype: options.dtype, slot });
}
