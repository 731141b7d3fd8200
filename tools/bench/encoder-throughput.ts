/**
 * Encoder throughput on this machine: tokens/s of the generated test transformers at the
 * defaults (length-grouped batches) against the reference pipeline's way (one chunk per
 * session.run, in catalog order), plus a batch-size × threads sweep for choosing defaults.
 * All numbers of one model come from one process, one after the other.
 *
 *   tsx --conditions=@xtr-nx/source tools/bench/encoder-throughput.ts [--models small,xtr-base] [--chunks 256]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEncoder, DEFAULT_BATCH_SIZE, type EncoderOptions } from '@xtr-nx/encoder';
import { testEncoderOptions } from '@xtr-nx/encoder/testing';
import { codeChunks, ROOT, testModelDir } from './bench-support';
const WINDOW = 256;

interface Measurement {
  readonly label: string;
  readonly batchSize: number;
  readonly threads: number;
  readonly grouped: boolean;
  readonly tokens: number;
  readonly seconds: number;
  readonly tokensPerSecond: number;
}

async function measure(
  label: string,
  options: EncoderOptions,
  texts: readonly string[],
  grouped: boolean,
): Promise<Measurement> {
  const encoder = await createEncoder(testEncoderOptions(options));
  try {
    await encoder.encode(texts.slice(0, 2)); // warm-up: first-run allocations and kernels
    let tokens = 0;
    const started = performance.now();
    if (grouped) {
      for (let i = 0; i < texts.length; i += WINDOW)
        tokens += sum((await encoder.encode(texts.slice(i, i + WINDOW))).lengths);
    } else {
      for (const text of texts) tokens += sum((await encoder.encode([text])).lengths);
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      label,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      threads: options.threads ?? availableParallelism(),
      grouped,
      tokens,
      seconds,
      tokensPerSecond: tokens / seconds,
    };
  } finally {
    await encoder.close();
  }
}

const sum = (values: Int32Array) => values.reduce((a, b) => a + b, 0);

async function main() {
  const { values } = parseArgs({
    options: { models: { type: 'string', default: 'small,xtr-base' }, chunks: { type: 'string', default: '256' } },
  });
  const results: Record<string, unknown>[] = [];
  for (const size of values.models.split(',')) {
    const dir = await testModelDir(size);
    const base = { model: join(dir, 'model.onnx'), tokenizer: join(dir, 'tokenizer.json') };
    const count = size === 'small' ? Number(values.chunks) : Math.min(Number(values.chunks), 48);
    const texts = await codeChunks(count);
    const rows: Measurement[] = [];
    rows.push(await measure('reference: batch 1, catalog order', { ...base, batchSize: 1 }, texts, false));
    rows.push(await measure('defaults', base, texts, true));
    const sweep = size === 'small' ? [1, 8, 16, 32, 64] : [1, 2, 4, 8];
    for (const threads of [1, availableParallelism()]) {
      for (const batchSize of sweep) rows.push(await measure(`sweep`, { ...base, batchSize, threads }, texts, true));
    }
    console.log(`\n${size}: ${texts.length} chunks, ${rows[0].tokens} tokens`);
    console.log('label                               batch threads  tokens/s');
    for (const r of rows)
      console.log(
        `${r.label.padEnd(36)}${String(r.batchSize).padStart(5)}${String(r.threads).padStart(8)}${r.tokensPerSecond.toFixed(0).padStart(10)}`,
      );
    const speedup = rows[1].tokensPerSecond / rows[0].tokensPerSecond;
    console.log(`defaults vs reference: ${speedup.toFixed(2)}×`);
    results.push({
      model: size,
      chunks: texts.length,
      tokens: rows[0].tokens,
      speedupVsReference: speedup,
      measurements: rows,
    });
  }
  const out = join(ROOT, 'dist/bench/encoder.json');
  mkdirSync(join(ROOT, 'dist/bench'), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ machine: { cpu: cpus()[0]?.model, cores: availableParallelism() }, results }, null, 2)}\n`,
  );
  console.log(`\nwrote ${out}`);
}

main().catch((error: Error) => {
  console.error(error.stack);
  process.exit(1);
});
