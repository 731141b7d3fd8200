import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CatalogFingerprint } from '@xtr-nx/catalog';
import {
  type IndexManifest,
  MANIFEST_FILE,
  mergeIndexes,
  OutputSlot,
  type ProtectedPath,
  type WrittenIndex,
} from '@xtr-nx/storage';
import type { BuildOptions } from '../config/normalize-options';
import { shardDirName, type ShardOptions } from '../config/shard-options';
import { BuildError } from '../pipeline/build-error';
import { portablePath } from '../pipeline/portable-path';
import type { BuildLogger } from '../pipeline/progress';
import { TOOL } from '../tool';
import { readPlan } from './shard-plan';

/** The manifest of shard `shard`, checked to be the one its plan announced; why not, otherwise. */
function shardManifest(dir: string, shard: number, part: { chunks: number; fingerprint: string }): IndexManifest {
  let manifest: IndexManifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
  } catch {
    throw new BuildError(
      `Shard ${shard} has no index at ${dir}. Build it: nx run <project>:xtr-index--${shardDirName(shard)}.`,
    );
  }
  if (manifest.docCount !== part.chunks || manifest.catalog?.fingerprint !== part.fingerprint) {
    throw new BuildError(
      `Shard ${shard} at ${dir} holds other chunks than the plan gives it (a stale shard from an earlier plan). ` +
        `Build it again: nx run <project>:xtr-index--${shardDirName(shard)}.`,
    );
  }
  return manifest;
}

/** Shard folders beside the plan's that no shard of this plan owns (left by a larger shard count). */
function strayShards(shards: ShardOptions): string[] {
  const root = dirname(shards.planDir);
  const planned = new Set(Array.from({ length: shards.count }, (_, shard) => basename(shards.shardDir(shard))));
  if (!existsSync(root)) return [];
  return readdirSync(root).filter((name) => /^shard-\d{3,}$/.test(name) && !planned.has(name));
}

/**
 * The merge of a sharded build: checks it has exactly the shards the plan announced (each shard's
 * manifest must show the plan's chunk count and fingerprint for it, so a stale shard folder is
 * refused) and streams them into the index an unsharded build would publish, byte for byte.
 */
export async function mergeShards(
  options: BuildOptions,
  shards: ShardOptions,
  logger: BuildLogger,
  protect: readonly ProtectedPath[],
): Promise<WrittenIndex> {
  const plan = readPlan(shards.planDir);
  if (plan.shards !== shards.count) {
    throw new BuildError(
      `The plan at ${shards.planDir} has ${plan.shards} shards but ${options.configPath} asks for ${shards.count}. Run the plan again.`,
    );
  }
  const dirs = plan.parts.map((_, shard) => shards.shardDir(shard));
  const [first] = dirs.map((dir, shard) => shardManifest(dir, shard, plan.parts[shard]));
  const stray = strayShards(shards);
  if (stray.length > 0)
    logger.info(
      `note: ignoring shard folders the plan does not list: ${stray.join(', ')} (from an earlier shard count)`,
    );
  const slot = await OutputSlot.claim(options.outputDir, protect, { onWait: (message) => logger.info(message) });
  const fingerprint = new CatalogFingerprint();
  try {
    return await mergeIndexes(
      dirs,
      () => {
        // Asked for before anything is published: shards that do not add up to the plan publish nothing.
        if (fingerprint.digest() !== plan.catalog.fingerprint) {
          throw new BuildError(
            `The shards in ${dirname(shards.planDir)} do not add up to the plan's catalog. Run the plan again.`,
          );
        }
        return {
          tool: TOOL,
          encoder: {
            model: portablePath(options.outputDir, options.encoder.model),
            fingerprint: first.encoder.fingerprint,
            normalized: first.encoder.normalized,
          },
          catalog: {
            path: portablePath(options.outputDir, options.catalogPath),
            table: options.table,
            nullIdsSkipped: plan.catalog.nullIdsSkipped,
            fingerprint: plan.catalog.fingerprint,
          },
        };
      },
      { outDir: slot.outDir, slot, onChunks: (ids, hashes) => fingerprint.update(ids, hashes) },
    );
  } finally {
    await slot.release();
  }
}
