/**
 * Encoder throughput on this machine, for choosing the batch-size and thread defaults: tokens/s
 * of the generated test transformers over this repository's code, per configuration, with the
 * tokenizer's and the model's share of the time. Configurations are interleaved over rounds
 * (rounds.ts); every figure is the median with its min–max.
 *
 * - `one text per call, batch 1`: one text per tokenizer call and per model run, in catalog order.
 * - the sweep, batch size × threads: each window of 256 texts (a build's default window)
 *   tokenized in one call, then run in length-grouped batches. At batch 1 no text is padded, so
 *   order changes nothing: the gap between the first row and `batch 1` on as many threads comes
 *   from the calls (a batch call spreads its texts over the tokenizer's threads), and the
 *   tokenizer's share of the time shows how much.
 *
 *   tsx --conditions=@xtr-nx/source tools/bench/encoder-throughput.ts [--models small,xtr-base] [--chunks 256] [--rounds 3]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createEncoder,
  DEFAULT_MAX_LENGTH,
  DEFAULT_NORMALIZE,
  DEFAULT_OVERFLOW,
  defaultBatchSize,
  defaultStride,
  defaultThreads,
  type ResolvedEncoderOptions,
} from '@xtr-nx/encoder';
import { DEFAULT_WINDOW } from '@xtr-nx/executor';
import { codeChunks, encoderFiles, ROOT, testModelDir } from './bench-support';
import { fieldSpreads, formatSpread, interleaved, pairedRatio, type Spread } from './rounds';

/** Texts per tokenizer call when a window is tokenized at once: a build's default window. */
const WINDOW = DEFAULT_WINDOW;
/** Batch sizes swept per model: the candidates the defaults were chosen from. */
const SWEEP: Record<string, readonly number[]> = { small: [1, 8, 16, 32, 64], 'xtr-base': [1, 2, 4, 8] };
/** The xtr-base-sized model is by far the slowest: fewer chunks keep its sweep within minutes. */
const MAX_CHUNKS: Record<string, number> = { 'xtr-base': 48 };

const ONE_TEXT_PER_CALL = 'one text per call, batch 1';

interface Configuration {
  readonly label: string;
  readonly options: ResolvedEncoderOptions;
  /** Texts per tokenizer call: 1, or a whole window. */
  readonly textsPerCall: number;
}

interface Run {
  readonly tokens: number;
  readonly tokensPerSecond: number;
  /** Share of the wall time in the tokenizer and in the model's runs (input tensors included). */
  readonly tokenizeShare: number;
  readonly runShare: number;
}

async function measure({ options, textsPerCall }: Configuration, texts: readonly string[]): Promise<Run> {
  const encoder = await createEncoder(options);
  try {
    await encoder.encode(texts.slice(0, 2)); // warm-up: first-run allocations, untimed
    const before = { ...encoder.timings };
    let tokens = 0;
    const started = performance.now();
    for (let i = 0; i < texts.length; i += textsPerCall) {
      const { lengths } = await encoder.encode(texts.slice(i, i + textsPerCall));
      tokens += lengths.reduce((a, b) => a + b, 0);
    }
    const ms = performance.now() - started;
    return {
      tokens,
      tokensPerSecond: tokens / (ms / 1000),
      tokenizeShare: (encoder.timings.tokenizeMs - before.tokenizeMs) / ms,
      runShare: (encoder.timings.runMs - before.runMs) / ms,
    };
  } finally {
    await encoder.close();
  }
}

/** The sweep's label for batch size `b` on `t` threads. */
const sweepLabel = (b: number, t: number) => `batch ${b}, ${t} thread${t === 1 ? '' : 's'}`;

function configurations(size: string, files: { model: string; tokenizer?: string }): Configuration[] {
  const options = (batchSize: number, threads: number): ResolvedEncoderOptions => ({
    ...files,
    maxLength: DEFAULT_MAX_LENGTH,
    overflow: DEFAULT_OVERFLOW,
    stride: defaultStride(DEFAULT_MAX_LENGTH),
    batchSize,
    threads,
    normalize: DEFAULT_NORMALIZE,
  });
  return [
    { label: ONE_TEXT_PER_CALL, options: options(1, defaultThreads()), textsPerCall: 1 },
    ...[1, availableParallelism()].flatMap((t) =>
      SWEEP[size].map((b) => ({ label: sweepLabel(b, t), options: options(b, t), textsPerCall: WINDOW })),
    ),
  ];
}

async function benchModel(size: string, chunks: number, rounds: number) {
  const files = encoderFiles(await testModelDir(size));
  const texts = await codeChunks(Math.min(chunks, MAX_CHUNKS[size] ?? chunks));
  const configs = configurations(size, files);
  const { samples, load } = await interleaved(
    rounds,
    Object.fromEntries(configs.map((c) => [c.label, () => measure(c, texts)])),
    (run) => console.error(`  ${size} round ${run.round}: ${run.configuration}`),
  );
  const rates = (label: string) => samples[label].map((r) => r.tokensPerSecond);
  const windowBatch1 = sweepLabel(1, defaultThreads());
  const defaults = sweepLabel(defaultBatchSize(files.model), defaultThreads());
  return {
    model: size,
    chunks: texts.length,
    tokens: samples[ONE_TEXT_PER_CALL][0].tokens,
    defaults,
    defaultsVsOneTextPerCall: pairedRatio(rates(defaults), rates(ONE_TEXT_PER_CALL)),
    windowBatch1VsOneTextPerCall: pairedRatio(rates(windowBatch1), rates(ONE_TEXT_PER_CALL)),
    rows: configs.map((c) => ({
      label: c.label,
      batchSize: c.options.batchSize,
      threads: c.options.threads,
      textsPerCall: c.textsPerCall,
      ...fieldSpreads(samples[c.label].map(({ tokens: _, ...shares }) => shares)),
    })),
    load,
  };
}

function print(result: Awaited<ReturnType<typeof benchModel>>): void {
  const share = (s: Spread) => `${(100 * s.median).toFixed(0)}%`;
  console.log(`\n${result.model}: ${result.chunks} chunks, ${result.tokens} tokens; median (min–max) of each`);
  console.log(`${'configuration'.padEnd(30)}${'tokens/s'.padStart(28)}  tokenize  model`);
  for (const row of result.rows) {
    const label = row.label === result.defaults ? `${row.label} (defaults)` : row.label;
    console.log(
      `${label.padEnd(30)}${formatSpread(row.tokensPerSecond).padStart(28)}${share(row.tokenizeShare).padStart(10)}${share(row.runShare).padStart(7)}`,
    );
  }
  const window = formatSpread(result.windowBatch1VsOneTextPerCall, 2);
  console.log(`batch 1, ${WINDOW} texts per tokenizer call vs one text per call: ${window}×`);
  console.log(`defaults vs one text per call: ${formatSpread(result.defaultsVsOneTextPerCall, 2)}×`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: 'small,xtr-base' },
      chunks: { type: 'string', default: '256' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const results = [];
  for (const size of values.models.split(',')) {
    const result = await benchModel(size, Number(values.chunks), Number(values.rounds));
    print(result);
    results.push(result);
  }
  const out = join(ROOT, 'dist/bench/encoder.json');
  mkdirSync(join(ROOT, 'dist/bench'), { recursive: true });
  const machine = { cpu: cpus()[0]?.model, cores: availableParallelism() };
  writeFileSync(out, `${JSON.stringify({ machine, results }, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
}

main().catch((error: Error) => {
  console.error(error.stack);
  process.exit(1);
});
