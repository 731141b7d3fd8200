import { availableParallelism } from 'node:os';
import { formatNumber, formatSpread, type RunLoad, type Spread } from './rounds';

/** What pipeline-model.ts prints for one model, with the model's name. */
export interface ModelResult {
  readonly model: string;
  readonly chunks: number;
  readonly tokens: number;
  readonly rounds: number;
  readonly build: {
    readonly tokensPerSecond: Spread;
    readonly streamingTokensPerSecond: Spread;
    readonly runTokensPerSecond: Spread;
    readonly setupSeconds: Spread;
  };
  readonly alone: {
    readonly tokensPerSecond: Spread;
    readonly modelCoreSeconds: Spread;
    readonly tokenizeCoreSeconds: Spread;
    readonly cpuBoundEfficiency: Spread;
  };
  readonly reference: { readonly tokensPerSecond: Spread };
  readonly ceiling: { readonly tokensPerSecond: number; readonly from: string };
  readonly efficiency: Spread;
  readonly streamingEfficiency: Spread;
  readonly speedupVsReference: Spread;
  readonly stageShares: Record<string, Spread>;
  readonly peakRssMiB: number;
  readonly load: readonly RunLoad[];
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The most CPU other processes took during any one run, or a note that it cannot be known here. */
function otherLoad(load: readonly RunLoad[]): string {
  const others = load.map((l) => l.otherCoreSeconds);
  if (others.some((o) => o === null)) return 'other processes: not measured on this OS';
  const worst = Math.max(...(others as number[]));
  const loads = load.map((l) => l.loadAverage);
  return `other processes: at most ${worst.toFixed(2)} core-s in one run; load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`;
}

/** The pipeline table: one block per model, every figure median (min–max) over rounds. */
export function printModels(results: readonly ModelResult[]): void {
  const cores = availableParallelism();
  for (const r of results) {
    const rows: [string, string][] = [
      ['build tokens/s', formatSpread(r.build.tokensPerSecond)],
      ['model alone tokens/s', formatSpread(r.alone.tokensPerSecond)],
      ['reference tokens/s', formatSpread(r.reference.tokensPerSecond)],
      ['ceiling tokens/s', `${formatNumber(r.ceiling.tokensPerSecond)} (${r.ceiling.from})`],
      ['efficiency (build ÷ ceiling)', formatSpread(r.efficiency, 3)],
      [
        '  without setup',
        `${formatSpread(r.streamingEfficiency, 3)}; setup ${formatSpread(r.build.setupSeconds, 2)} s`,
      ],
      [`  best possible on ${cores} cores`, formatSpread(r.alone.cpuBoundEfficiency, 3)],
      ['build session.run tokens/s', formatSpread(r.build.runTokensPerSecond)],
      ['speed-up vs reference', `${formatSpread(r.speedupVsReference, 2)}×`],
      [
        'CPU alone (core-s)',
        `model ${formatSpread(r.alone.modelCoreSeconds, 2)}, tokenizer ${formatSpread(r.alone.tokenizeCoreSeconds, 2)}`,
      ],
      ['peak RSS of the first build', `${r.peakRssMiB.toFixed(1)} MiB`],
    ];
    console.log(`\n${r.model}: ${r.chunks} chunks, ${r.tokens} tokens, ${r.rounds} rounds — median (min–max)`);
    for (const [label, value] of rows) console.log(`  ${label.padEnd(34)}${value}`);
    const shares = Object.entries(r.stageShares).map(([stage, s]) => `${stage} ${pct(s.median)}`);
    console.log(`  ${'stage shares of build wall time'.padEnd(34)}${shares.join(', ')}`);
    console.log(`  ${otherLoad(r.load)}`);
  }
}
