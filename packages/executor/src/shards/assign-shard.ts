import { createHash } from 'node:crypto';

/** What decides a chunk's shard: its file, so that editing one file changes one shard; its id when it has no file. */
export const shardKey = (uri: string | null | undefined, id: bigint): string => (uri ? `uri:${uri}` : `id:${id}`);

/**
 * Rendezvous (highest random weight) hashing: a key goes to the shard whose SHA-256 of
 * `shard:key` is highest. Stable across runs and machines, and going from N to N+1 shards moves
 * only the keys the new shard wins — about 1/(N+1) of them — instead of nearly all, as `hash mod N`
 * would. Memoised per key: a file's many chunks cost one set of hashes.
 */
export class ShardAssigner {
  private readonly memo = new Map<string, number>();

  constructor(readonly count: number) {}

  shardOf(key: string): number {
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    let best = 0;
    let bestScore = -1n;
    for (let shard = 0; shard < this.count; shard++) {
      const score = createHash('sha256').update(`${shard}:${key}`).digest().readBigUInt64BE(0);
      if (score > bestScore) {
        best = shard;
        bestScore = score;
      }
    }
    this.memo.set(key, best);
    return best;
  }
}
