import { CatalogFingerprint, contentHash, openCatalog, streamChunks, type StreamStats } from '@xtr-nx/catalog';
import { type ProtectedPath, publishFiles } from '@xtr-nx/storage';
import type { IndexOptions } from '../config/normalize-options';
import { PLAN_FILE, shardPlanFile, type ShardOptions } from '../config/shard-options';
import { BuildError } from '../pipeline/build-error';
import { TOOL } from '../tool';
import { ShardAssigner, shardKey } from './assign-shard';
import { ASSIGNMENT, shardChunksPieces, type ShardPlan } from './shard-plan';

/** One shard's chunks as the scan finds them. */
class ShardCollector {
  readonly ids: bigint[] = [];
  readonly hashes: bigint[] = [];
  readonly fingerprint = new CatalogFingerprint();
  bytes = 0;

  /** Ascending by id, as the shard's index and its plan file list them. */
  sorted(): { ids: BigInt64Array; hashes: bigint[] } {
    const order = this.ids.map((_, i) => i).sort((a, b) => (this.ids[a] < this.ids[b] ? -1 : 1));
    return { ids: BigInt64Array.from(order, (i) => this.ids[i]), hashes: order.map((i) => this.hashes[i]) };
  }
}

/** What `xtr plan` reports. */
export interface PlanSummary {
  readonly plan: ShardPlan;
  readonly files: number;
}

/**
 * Scans the catalog once and publishes the shard plan: each chunk goes to the shard its file
 * hashes to (`assign-shard.ts`), and each shard gets a file with its chunk ids and content
 * hashes — the exact cache key of that shard's build — plus `xtr.plan.json` with what the merge
 * checks against.
 */
export async function planShards(
  options: IndexOptions,
  shards: ShardOptions,
  protect: readonly ProtectedPath[] = [],
): Promise<PlanSummary> {
  const catalog = await openCatalog({
    path: options.catalogPath,
    table: options.table,
    memoryLimit: options.catalogMemoryLimit,
  });
  const assigner = new ShardAssigner(shards.count);
  const collectors = Array.from({ length: shards.count }, () => new ShardCollector());
  const whole = new CatalogFingerprint();
  const stats: StreamStats = { rows: 0, nullIds: 0 };
  const files = new Set<string>();
  try {
    for await (const batch of streamChunks(catalog, stats, { batchSize: 2048, uris: true })) {
      const hashes = batch.contents.map(contentHash);
      whole.update(batch.ids, hashes);
      batch.ids.forEach((id, i) => {
        const key = shardKey(batch.uris?.[i], id);
        files.add(key);
        const collector = collectors[assigner.shardOf(key)];
        collector.ids.push(id);
        collector.hashes.push(hashes[i]);
        collector.bytes += Buffer.byteLength(batch.contents[i]);
        collector.fingerprint.update(BigInt64Array.of(id), [hashes[i]]);
      });
    }
  } finally {
    catalog.close();
  }
  if (stats.rows === 0) {
    throw new BuildError(
      `Catalog ${options.catalogPath} has no chunks with a non-NULL id in "${options.table}": nothing to plan. ` +
        `Fill the catalog (or fix "catalog.path"/"catalog.table" in ${options.configPath}).`,
    );
  }
  const plan: ShardPlan = {
    formatVersion: 1,
    tool: TOOL,
    shards: shards.count,
    assignment: ASSIGNMENT,
    catalog: { table: options.table, chunks: stats.rows, nullIdsSkipped: stats.nullIds, fingerprint: whole.digest() },
    parts: collectors.map((c) => ({ chunks: c.ids.length, bytes: c.bytes, fingerprint: c.fingerprint.digest() })),
  };
  const published = new Map<string, Iterable<string>>([[PLAN_FILE, [`${JSON.stringify(plan, null, 2)}\n`]]]);
  collectors.forEach((collector, shard) =>
    published.set(shardPlanFile(shard), shardChunksPieces({ shard, of: shards.count, ...collector.sorted() })),
  );
  await publishFiles(shards.planDir, published, protect);
  return { plan, files: files.size };
}

/** The plan in one line per fact: shard sizes and their spread. */
export function formatPlan({ plan, files }: PlanSummary, shown: string): string {
  const sizes = plan.parts.map((part) => part.bytes);
  const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  const spread = (100 * Math.max(...sizes.map((size) => Math.abs(size - mean)))) / mean;
  return [
    `xtr shard plan: ${shown}`,
    `  chunks   ${plan.catalog.chunks} from ${files} files in ${plan.shards} shards`,
    `  shards   ${plan.parts.map((part) => part.chunks).join(' / ')} chunks`,
    `  balance  text bytes within ±${spread.toFixed(0)}% of the mean`,
  ].join('\n');
}
