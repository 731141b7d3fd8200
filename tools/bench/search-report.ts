import { formatNumber, formatSpread, type Spread } from './rounds';
import type { SearchResult, SizeResult } from './search';

const scaled = (s: Spread, by: number): Spread => ({
  median: s.median * by,
  min: s.min * by,
  max: s.max * by,
  runs: s.runs.map((x) => x * by),
});

function sizeLines(size: SizeResult, result: SearchResult): string[] {
  const { chunks, tokens, bytes, batch } = size;
  const readGBps = result.memoryBandwidth.sumGBps.median;
  const batched = batch > 1;
  const lines = [
    '',
    `search, ${formatNumber(chunks)} chunks, ${formatNumber(tokens)} tokens (${(bytes / 1e9).toFixed(2)} GB float16), ` +
      `${result.queryRows}-row queries, k ${result.k}, ${batched ? `batch of ${batch}` : 'one query'}, ${result.rounds} rounds:`,
    `| scorer | 1 query s | ${batched ? `batch of ${batch} s | ` : ''}queries/s | M token-queries/s | GFLOP/s | ` +
      `index GB/s, 1 query | ÷ read bandwidth | time ÷ ts maxsim, 1 query${batched ? ' | time ÷ ts maxsim, batch' : ''} |`,
    `| --- | --- | ${batched ? '--- | ' : ''}--- | --- | --- | --- | --- | ---${batched ? ' | ---' : ''} |`,
  ];
  for (const [name, s] of Object.entries(size.scorers)) {
    const label = s.extrapolatedFromChunks
      ? `${name} (first ${formatNumber(s.extrapolatedFromChunks)} chunks, scaled)`
      : name;
    const cells = [
      label,
      formatSpread(s.latencySeconds, 2),
      ...(s.batchSeconds ? [formatSpread(s.batchSeconds, 2)] : []),
      formatSpread(s.queriesPerSecond, 2),
      formatSpread(scaled(s.queriesPerSecond, tokens / 1e6), 1),
      // One token-query: a product with each of the query's rows, 2 × dim FLOP each.
      formatSpread(scaled(s.queriesPerSecond, (tokens * result.queryRows * 2 * result.dim) / 1e9), 1),
      formatSpread(s.latencyGBps, 2),
      `${((100 * s.latencyGBps.median) / readGBps).toFixed(1)}%`,
      formatSpread(s.vsTsMaxsim.latency, 2),
      ...(s.vsTsMaxsim.batch ? [formatSpread(s.vsTsMaxsim.batch, 2)] : []),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const worst = Math.max(...size.load.map((run) => run.otherCoreSeconds ?? 0));
  lines.push(
    `top ${result.k} identical for ts maxsim and numpy blocked: ${size.topAgreement.identical} of ${size.topAgreement.queries} queries; ` +
      `other processes used at most ${worst} core-seconds during one run; index written in ${size.generateSeconds} s`,
  );
  return lines;
}

/** The memory bandwidth line, then per size a table of every scorer: median (min–max) over rounds. */
export function searchLines(result: SearchResult): string[] {
  const { sumGBps, copyGBps } = result.memoryBandwidth;
  const { widenGBps, matmulGflops32, matmulGflops512 } = result.numpyCeilings;
  return [
    `memory bandwidth (numpy, 1 GiB of float64 in RAM): a.sum() ${formatSpread(sumGBps, 2)} GB/s read, ` +
      `np.copyto ${formatSpread(copyGBps, 2)} GB/s read + written`,
    `numpy steps alone on a 16384-row block: float16 → float32 ${formatSpread(widenGBps, 2)} GB/s of float16; ` +
      `products ${formatSpread(matmulGflops32, 1)} GFLOP/s with 32 query rows, ${formatSpread(matmulGflops512, 1)} with 512`,
    ...result.sizes.flatMap((size) => sizeLines(size, result)),
  ];
}
