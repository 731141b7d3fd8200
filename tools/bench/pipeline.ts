/**
 * `nx run repo:bench`: the pipeline benchmark. For the built-in encoder and the generated
 * transformers (small and xtr-base-sized), each in a fresh process (pipeline-model.ts): build,
 * model alone and reference pipeline interleaved over rounds, with efficiency (build ÷ the
 * fastest `session.run` rate seen, alone or in a build), the CPU-bound best efficiency, speed-up
 * over the reference, stage shares and peak RSS;
 * then peak RSS of the built-in encoder at 20k and 200k chunks (memory.ts), verify throughput
 * (verify-throughput.ts), the shard merge (merge-throughput.ts) and incremental builds after a 1% edit against full builds, for the
 * small and xtr-base-sized transformers (incremental.ts), and exhaustive search latency and
 * throughput, TypeScript beside numpy on the same synthetic 20k- and 200k-chunk indexes
 * (search.ts). Every figure is a median with its min–max over rounds, every ratio taken within a
 * round. Prints tables and writes dist/bench/bench.json.
 *
 *   tsx --conditions=@xtr-nx/source tools/bench/pipeline.ts [--rounds 3] [--models builtin:hash,small,xtr-base]
 *       [--threads N] [--window N] [--skip-memory] [--skip-verify] [--skip-merge]
 *       [--skip-incremental | --incremental-only] [--incremental-rounds N] [--skip-search | --search-only]
 *
 * `--models` picks the models of the pipeline and incremental sections alike; `--rounds` is the
 * pipeline's, the memory bench's and the search bench's, `--incremental-rounds` overrides the
 * incremental section's (3 for the small model, 2 for the xtr-base-sized one).
 *
 * A quick look (about a minute): --models builtin:hash,small --skip-memory --skip-verify --skip-incremental --skip-search
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isBuiltinModel } from '@xtr-nx/encoder';
import { ROOT, runTypeScript, testModelDir } from './bench-support';
import { INCREMENTAL_MODELS, incrementalLines, measureIncremental } from './incremental';
import { measureMemory, memoryLines } from './memory';
import { type ModelResult, printModels } from './pipeline-report';
import { measureMerge } from './merge-throughput';
import { measureSearch, searchLines } from './search';
import { measureVerify } from './verify-throughput';

/**
 * Chunks per model: enough for steady rates, few enough that three rounds of the slowest model,
 * the xtr-base-sized one, stay within a few minutes on two cores.
 */
const MODELS = [
  { model: 'builtin:hash', chunks: 4000 },
  { model: 'small', chunks: 2000 },
  { model: 'xtr-base', chunks: 96 },
];
const MEMORY_SIZES = [20_000, 200_000];

async function benchModel(model: string, chunks: number, passed: readonly string[]): Promise<ModelResult> {
  const target = isBuiltinModel(model) ? model : await testModelDir(model);
  const stdout = await runTypeScript(join(__dirname, 'pipeline-model.ts'), [target, String(chunks), ...passed]);
  return { model, ...JSON.parse(stdout) };
}

async function main() {
  const { values } = parseArgs({
    options: {
      models: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      threads: { type: 'string' },
      window: { type: 'string' },
      'skip-memory': { type: 'boolean', default: false },
      'skip-verify': { type: 'boolean', default: false },
      'skip-merge': { type: 'boolean', default: false },
      'skip-incremental': { type: 'boolean', default: false },
      'incremental-only': { type: 'boolean', default: false },
      'incremental-rounds': { type: 'string' },
      'skip-search': { type: 'boolean', default: false },
      'search-only': { type: 'boolean', default: false },
    },
  });
  if (values['skip-incremental'] && values['incremental-only'])
    throw new Error('--skip-incremental and --incremental-only exclude each other');
  if (values['skip-search'] && values['search-only'])
    throw new Error('--skip-search and --search-only exclude each other');
  if (values['incremental-only'] && values['search-only'])
    throw new Error('--incremental-only and --search-only exclude each other');
  const only = values['incremental-only'] || values['search-only'];
  const started = new Date();
  const loadAtStart = loadavg()[0];
  const wanted = values.models?.split(',');
  const passed = (['rounds', 'threads', 'window'] as const).flatMap((name) =>
    values[name] ? [`--${name}`, values[name]] : [],
  );
  const results: ModelResult[] = [];
  for (const { model, chunks } of MODELS.filter((m) => !only && (!wanted || wanted.includes(m.model)))) {
    console.error(`${model}: ${chunks} chunks, ${values.rounds} rounds`);
    results.push(await benchModel(model, chunks, passed));
  }
  printModels(results);

  const memory = values['skip-memory'] || only ? undefined : await measureMemory(MEMORY_SIZES, Number(values.rounds));
  if (memory)
    for (const line of ['', 'builtin:hash peak RSS, one build per process:', ...memoryLines(memory)]) console.log(line);
  const verify = values['skip-verify'] || only ? undefined : await measureVerify({ log: console.log });
  const merge = values['skip-merge'] || only ? undefined : await measureMerge({ log: console.log });
  const incremental =
    values['skip-incremental'] || values['search-only']
      ? undefined
      : await measureIncremental(
          INCREMENTAL_MODELS.filter((m) => !wanted || wanted.includes(m.model)),
          values['incremental-rounds'] ? Number(values['incremental-rounds']) : undefined,
        );
  if (incremental) for (const line of incrementalLines(incremental)) console.log(line);
  const search =
    values['skip-search'] || values['incremental-only']
      ? undefined
      : await measureSearch({ rounds: Number(values.rounds), log: console.error });
  if (search) for (const line of ['', ...searchLines(search)]) console.log(line);

  const machine = {
    cpu: cpus()[0]?.model,
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const run = {
    command: process.argv.slice(2).join(' ') || '(defaults)',
    started: started.toISOString(),
    minutes: Math.round((Date.now() - started.getTime()) / 600) / 100,
    loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0] },
  };
  mkdirSync(join(ROOT, 'dist/bench'), { recursive: true });
  writeFileSync(
    join(ROOT, 'dist/bench/bench.json'),
    `${JSON.stringify({ machine, run, results, memory, verify, merge, incremental, search }, null, 2)}\n`,
  );
  console.log(`\nwrote dist/bench/bench.json (${machine.cpu}, ${machine.cores} cores, ${run.minutes} min)`);
}

main().catch((error: Error) => {
  console.error(error.stack);
  process.exit(1);
});
