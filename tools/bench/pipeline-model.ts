/**
 * One model's pipeline benchmark, in its own process. Three configurations on the same catalog,
 * interleaved over rounds (rounds.ts): the build, the model alone (model-alone.ts) and the
 * reference pipeline (reference-pipeline.ts). Prints JSON: median and min–max of each one's
 * tokens/s, of efficiency (build ÷ ceiling), of the speed-up over the reference, of the CPU
 * bound and of the build's stage shares; the first build's peak RSS; and, per run, what else the
 * machine did meanwhile.
 *
 *   node --conditions=@xtr-nx/source --import tsx tools/bench/pipeline-model.ts <model-dir|builtin:hash> <chunks> [--rounds 3] [--threads N] [--window N]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeCatalog } from '@xtr-nx/catalog';
import { type BuildOptions, buildIndex, normalizeBuildOptions } from '@xtr-nx/executor';
import { catalogRows, codeChunks, encoderFiles } from './bench-support';
import { modelAlone } from './model-alone';
import { referencePipeline } from './reference-pipeline';
import { fieldSpreads, interleaved, pairedRatio, spread } from './rounds';
import { readWindows } from './windows';

interface BuildRun {
  readonly chunks: number;
  readonly tokens: number;
  readonly rates: {
    /** End to end, model load included. */
    readonly tokensPerSecond: number;
    /** Without the one-time setup (model load and fingerprint), which a larger corpus amortises. */
    readonly streamingTokensPerSecond: number;
    /** Tokens ÷ the build's own `session.run` time: the model while the other stages compete with it. */
    readonly runTokensPerSecond: number;
    readonly setupSeconds: number;
  };
  /** Each stage's share of wall time (stages overlap, so they add up to more than 1). */
  readonly stageShares: Record<string, number>;
}

async function timedBuild(options: BuildOptions): Promise<BuildRun> {
  const summary = await buildIndex(options, { info: () => undefined });
  const perSecond = (ms: number) => summary.tokens / (ms / 1000);
  return {
    chunks: summary.chunks,
    tokens: summary.tokens,
    rates: {
      tokensPerSecond: perSecond(summary.elapsedMs),
      streamingTokensPerSecond: perSecond(summary.elapsedMs - summary.stages.setupMs),
      runTokensPerSecond: perSecond(summary.stages.runMs),
      setupSeconds: summary.stages.setupMs / 1000,
    },
    stageShares: Object.fromEntries(
      Object.entries(summary.stages).map(([stage, ms]) => [stage.replace(/Ms$/, ''), ms / summary.elapsedMs]),
    ),
  };
}

/**
 * What a build's throughput is divided by: the fastest the model ran these micro-batches in this
 * process, alone (warm, nothing else running) or inside a build (its own `session.run` time).
 * The machine itself runs identical work faster or slower for tens of seconds at a time, with
 * no other process running (docs/benchmarks.md), so one model-alone run next to one build is no
 * bound. A build runs its micro-batches one after another, so its wall time is at least
 * their `session.run` time: divided by this, efficiency cannot exceed 1.
 */
function ceiling(alone: readonly number[], inBuild: readonly number[]) {
  const candidates = [
    ...alone.map((tokensPerSecond, i) => ({ tokensPerSecond, from: `model alone, round ${i + 1}` })),
    ...inBuild.map((tokensPerSecond, i) => ({ tokensPerSecond, from: `session.run in the build, round ${i + 1}` })),
  ];
  return candidates.reduce((best, c) => (c.tokensPerSecond > best.tokensPerSecond ? c : best));
}

/**
 * The build's options for `model` on a catalog of `count` chunks of this repository's code, written
 * into `dir`: full builds without the vector store, so every round encodes every chunk rather than
 * reusing the index the round before wrote.
 */
async function benchOptions(dir: string, model: string, count: number, overrides: Record<string, number>) {
  await writeCatalog(join(dir, 'catalog.duckdb'), catalogRows(await codeChunks(count)));
  const encoder = { ...encoderFiles(model), ...overrides };
  writeFileSync(
    join(dir, 'xtr.config.json'),
    JSON.stringify({ catalog: { path: 'catalog.duckdb' }, encoder, output: { dir: 'index' }, store: false }),
  );
  return normalizeBuildOptions(join(dir, 'xtr.config.json'), { full: true }, dir);
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { rounds: { type: 'string', default: '3' }, threads: { type: 'string' }, window: { type: 'string' } },
  });
  const [model, count] = [positionals[0], Number(positionals[1])];
  const overrides = Object.fromEntries(
    (['threads', 'window'] as const).flatMap((name) => (values[name] ? [[name, Number(values[name])]] : [])),
  );
  const dir = mkdtempSync(join(tmpdir(), 'xtr-pipeline-'));
  try {
    const options = await benchOptions(dir, model, count, overrides);
    let peakRssMiB: number | undefined;
    const { samples, load } = await interleaved(
      Number(values.rounds),
      {
        build: async () => {
          const run = await timedBuild(options);
          // The first round starts with the build, so the process's peak so far is the build's.
          peakRssMiB ??= process.resourceUsage().maxRSS / 1024;
          return run;
        },
        // The build's output type, so the model alone runs the same output head.
        alone: async () =>
          modelAlone(
            { ...options.encoder, outputDtype: options.dtype },
            await readWindows(options.catalogPath, options.window),
          ),
        reference: () => referencePipeline(options.encoder, options.catalogPath, join(dir, 'reference')),
      },
      (run) => console.error(`  ${basename(model)} round ${run.round}: ${run.configuration} done`),
    );
    const { build, alone, reference } = samples;
    const [first] = build;
    if (reference.some((r) => r.chunks !== first.chunks || r.tokens !== first.tokens))
      throw new Error(`the reference wrote other chunks or tokens than the build (${first.chunks}, ${first.tokens})`);
    const rates = build.map((b) => b.rates);
    const top = ceiling(
      alone.map((a) => a.tokensPerSecond),
      rates.map((r) => r.runTokensPerSecond),
    );
    const ofCeiling = (values: readonly number[]) => spread(values.map((v) => v / top.tokensPerSecond));
    console.log(
      JSON.stringify({
        chunks: first.chunks,
        tokens: first.tokens,
        rounds: build.length,
        build: fieldSpreads(rates),
        alone: fieldSpreads(alone),
        reference: { tokensPerSecond: spread(reference.map((r) => r.tokensPerSecond)) },
        ceiling: top,
        efficiency: ofCeiling(rates.map((r) => r.tokensPerSecond)),
        streamingEfficiency: ofCeiling(rates.map((r) => r.streamingTokensPerSecond)),
        speedupVsReference: pairedRatio(
          rates.map((r) => r.tokensPerSecond),
          reference.map((r) => r.tokensPerSecond),
        ),
        stageShares: fieldSpreads(build.map((b) => b.stageShares)),
        peakRssMiB,
        load,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error.stack);
  process.exit(1);
});
