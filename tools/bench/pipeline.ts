/**
 * `nx run repo:bench`: the pipeline benchmark. For the built-in encoder and the generated
 * transformers (small and xtr-base-sized) it measures, each in a fresh process: pipeline
 * efficiency (end-to-end tokens/s ÷ raw session.run tokens/s on the same batches) and the best
 * efficiency the CPU the model and tokenizer need leaves possible on this machine, speed-up
 * over the reference pipeline, peak RSS and each stage's share of wall time; plus peak RSS of
 * the built-in encoder at 20k and 200k chunks. Prints a table and writes dist/bench/bench.json.
 *
 *   tsx --conditions=@xtr-nx/source tools/bench/pipeline.ts [--models small,xtr-base] [--threads N] [--window N] [--skip-memory]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, runTypeScript, testModelDir } from './bench-support';
import { measureBuild } from './memory';
import { measureVerify } from './verify-throughput';

const MODELS = [
  { model: 'builtin:hash', chunks: 4000 },
  { model: 'small', chunks: 2000 },
  { model: 'xtr-base', chunks: 160 },
];

async function benchModel(model: string, chunks: number, passed: readonly string[]) {
  const target = model.startsWith('builtin:') ? model : await testModelDir(model);
  const stdout = await runTypeScript(join(__dirname, 'pipeline-model.ts'), [target, String(chunks), ...passed]);
  return { model, ...JSON.parse(stdout) };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

async function main() {
  const { values } = parseArgs({
    options: {
      models: { type: 'string' },
      threads: { type: 'string' },
      window: { type: 'string' },
      'skip-memory': { type: 'boolean', default: false },
    },
  });
  const wanted = values.models?.split(',');
  const passed = (['threads', 'window'] as const).flatMap((name) => (values[name] ? [`--${name}`, values[name]] : []));
  const results = [];
  for (const { model, chunks } of MODELS.filter((m) => !wanted || wanted.includes(m.model))) {
    const result: Record<string, unknown> = await benchModel(model, chunks, passed);
    if (model === 'builtin:hash' && !values['skip-memory']) {
      const [small, large] = [await measureBuild(20_000), await measureBuild(200_000)];
      result.peakRssMiB = {
        run: result.peakRssMiB,
        chunks20k: small.peakRssMiB,
        chunks200k: large.peakRssMiB,
        growth: large.peakRssMiB - small.peakRssMiB,
      };
    }
    results.push(result);
  }

  console.log('\nmodel          chunks   tokens  pipeline tok/s  raw tok/s  efficiency  vs reference  peak RSS MiB');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON printed by pipeline-model.ts, read field by field
  for (const r of results as Record<string, any>[]) {
    const rss = typeof r.peakRssMiB === 'number' ? r.peakRssMiB : r.peakRssMiB.run;
    console.log(
      `${r.model.padEnd(14)}${String(r.chunks).padStart(7)}${String(r.tokens).padStart(9)}${r.pipelineTokensPerSecond.toFixed(0).padStart(16)}${r.rawTokensPerSecond.toFixed(0).padStart(11)}${r.pipelineEfficiency.toFixed(3).padStart(12)}${`${r.speedupVsReference.toFixed(2)}×`.padStart(14)}${rss.toFixed(1).padStart(14)}`,
    );
    console.log(
      `${''.padEnd(14)}setup ${r.setupSeconds.toFixed(2)} s; efficiency without it ${r.streamingEfficiency.toFixed(3)}`,
    );
    console.log(
      `${''.padEnd(14)}CPU alone: model ${r.modelCoreSeconds.toFixed(2)} core-s, tokenizer ${r.tokenizeCoreSeconds.toFixed(2)} core-s → best efficiency on ${availableParallelism()} cores ${r.cpuBoundEfficiency.toFixed(3)}`,
    );
    console.log(
      `${''.padEnd(14)}stages: ${Object.entries(r.stageShares as Record<string, number>)
        .map(([s, x]) => `${s} ${pct(x)}`)
        .join(', ')}`,
    );
    if (typeof r.peakRssMiB !== 'number') {
      console.log(
        `${''.padEnd(14)}peak RSS 20k chunks ${r.peakRssMiB.chunks20k.toFixed(1)} MiB, 200k chunks ${r.peakRssMiB.chunks200k.toFixed(1)} MiB, growth ${r.peakRssMiB.growth.toFixed(1)} MiB`,
      );
    }
  }
  const verify = await measureVerify({ log: console.log });
  const machine = {
    cpu: cpus()[0]?.model,
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  mkdirSync(join(ROOT, 'dist/bench'), { recursive: true });
  writeFileSync(join(ROOT, 'dist/bench/bench.json'), `${JSON.stringify({ machine, results, verify }, null, 2)}\n`);
  console.log(`\nwrote dist/bench/bench.json (${machine.cpu}, ${machine.cores} cores)`);
}

main().catch((error: Error) => {
  console.error(error.stack);
  process.exit(1);
});
