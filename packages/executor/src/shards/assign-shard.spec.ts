import { createHash } from 'node:crypto';
import { ShardAssigner, shardKey } from './assign-shard';

const files = Array.from({ length: 4000 }, (_, i) => shardKey(`src/module-${i}/index.ts`, BigInt(i)));

describe('ShardAssigner', () => {
  it('sends a key to the shard with the highest SHA-256 of "shard:key"', () => {
    const key = shardKey('src/a.ts', 1n);
    const scores = [0, 1, 2, 3].map((s) =>
      createHash('sha256').update(`${s}:uri:src/a.ts`).digest().readBigUInt64BE(0),
    );
    const expected = scores.indexOf(scores.reduce((a, b) => (b > a ? b : a)));
    expect(new ShardAssigner(4).shardOf(key)).toBe(expected);
    expect(shardKey(null, 42n)).toBe('id:42');
  });

  it('balances files over shards', () => {
    const assigner = new ShardAssigner(8);
    const sizes = new Array(8).fill(0);
    for (const key of files) sizes[assigner.shardOf(key)]++;
    // 500 expected per shard; binomial spread is ±21 (one sigma).
    for (const size of sizes) expect(Math.abs(size - 500)).toBeLessThan(100);
  });

  it('moves only about 1/(N+1) of the files when a shard is added, and only into the new shard', () => {
    const [before, after] = [new ShardAssigner(8), new ShardAssigner(9)];
    const moved = files.filter((key) => before.shardOf(key) !== after.shardOf(key));
    expect(moved.every((key) => after.shardOf(key) === 8)).toBe(true);
    // 4000 / 9 ≈ 444 expected.
    expect(Math.abs(moved.length - 4000 / 9)).toBeLessThan(90);
  });
});
