import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatContentHash } from '@xtr-nx/storage';
import { PLAN_FILE, shardPlanFile } from '../config/shard-options';
import { BuildError } from '../pipeline/build-error';

/** A shard's share of the plan: what the merge checks the shard's index against. */
export interface ShardPart {
  readonly chunks: number;
  /** Bytes of chunk text: the plan's measure of balance (tokens are only known once encoded). */
  readonly bytes: number;
  /** `CatalogFingerprint` of the shard's chunks: equal to its index's `catalog.fingerprint`. */
  readonly fingerprint: string;
}

/** `xtr.plan.json`: what a sharded build announces before any shard runs. */
export interface ShardPlan {
  readonly formatVersion: 1;
  readonly tool: { readonly name: string; readonly version: string };
  readonly shards: number;
  readonly assignment: string;
  readonly catalog: {
    readonly table: string;
    readonly chunks: number;
    readonly nullIdsSkipped: number;
    readonly fingerprint: string;
  };
  readonly parts: readonly ShardPart[];
}

/** One shard's chunks, ascending by id, with their content hashes. */
export interface ShardChunks {
  readonly shard: number;
  readonly of: number;
  readonly ids: BigInt64Array;
  readonly hashes: readonly bigint[];
}

export const ASSIGNMENT = 'rendezvous hashing (SHA-256 of "shard:uri:<uri>", or "shard:id:<id>" without a uri)';

/** The plan's one file per shard: ids as decimal strings (JSON numbers cannot hold 64 bits), hashes in hex. */
export function* shardChunksPieces({ shard, of, ids, hashes }: ShardChunks): Generator<string> {
  yield `{"shard":${shard},"of":${of},"chunk_ids":[`;
  for (let i = 0; i < ids.length; i++) yield `${i > 0 ? ',' : ''}"${ids[i]}"`;
  yield '],"contentHashes":[';
  for (let i = 0; i < hashes.length; i++) yield `${i > 0 ? ',' : ''}"${formatContentHash(hashes[i])}"`;
  yield ']}\n';
}

function readJson(dir: string, name: string): unknown {
  try {
    return JSON.parse(readFileSync(join(dir, name), 'utf8'));
  } catch (error) {
    throw new BuildError(
      `No readable shard plan at ${join(dir, name)} (${(error as Error).message}). Run the plan first: nx run <project>:xtr-index--plan, or xtr plan.`,
    );
  }
}

export function readPlan(dir: string): ShardPlan {
  const plan = readJson(dir, PLAN_FILE) as ShardPlan;
  if (plan?.formatVersion !== 1 || !Array.isArray(plan.parts) || plan.parts.length !== plan.shards)
    throw new BuildError(`${join(dir, PLAN_FILE)} is not a shard plan this xtr wrote. Run the plan again.`);
  return plan;
}

export function readShardChunks(dir: string, shard: number): ShardChunks {
  const parsed = readJson(dir, shardPlanFile(shard)) as {
    shard: number;
    of: number;
    chunk_ids: string[];
    contentHashes: string[];
  };
  if (parsed?.shard !== shard || parsed.chunk_ids?.length !== parsed.contentHashes?.length)
    throw new BuildError(`${join(dir, shardPlanFile(shard))} is not shard ${shard}'s plan. Run the plan again.`);
  return {
    shard,
    of: parsed.of,
    ids: BigInt64Array.from(parsed.chunk_ids, (id) => BigInt(id)),
    hashes: parsed.contentHashes.map((hash) => BigInt(`0x${hash}`)),
  };
}
