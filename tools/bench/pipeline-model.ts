/**
 * One model's pipeline benchmark, in its own process (so its peak RSS is its own). Prints JSON:
 * end-to-end build throughput; the raw `session.run` throughput on the same windows, measured
 * right after in the same process, with the CPU the model and the tokenizer need (which bounds
 * the efficiency any pipeline can reach on this machine); the reference pipeline's throughput
 * (batch 1, catalog order, every vector held in memory, written at the end); stage shares and
 * peak RSS.
 *
 *   node --conditions=@xtr-nx/source --import tsx tools/bench/pipeline-model.ts <model-dir|builtin:hash> <chunks> [--threads N] [--window N]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ChunkBatch, openCatalog, streamChunks, writeCatalog } from '@xtr-nx/catalog';
import { createEncoder, type ResolvedEncoderOptions } from '@xtr-nx/encoder';
import { buildIndex, normalizeBuildOptions } from '@xtr-nx/executor';
import { IndexWriter } from '@xtr-nx/storage';
import { catalogRows, codeChunks } from './bench-support';

const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;

async function windows(path: string, size: number): Promise<ChunkBatch[]> {
  const catalog = await openCatalog({ path });
  try {
    const all: ChunkBatch[] = [];
    for await (const batch of streamChunks(catalog, { rows: 0, nullIds: 0 }, { batchSize: size })) all.push(batch);
    return all;
  } finally {
    catalog.close();
  }
}

const coreSeconds = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1e6;
};

/**
 * The model and the tokenizer alone on the same windows and batches, one after the other with
 * nothing else running: `session.run` wall time (the raw throughput) and the CPU each stage
 * burns, which bounds what any overlap can reach on this machine's cores.
 */
async function modelAlone(encoder: ResolvedEncoderOptions, batches: readonly ChunkBatch[]) {
  const session = await createEncoder({ ...encoder, overlap: false });
  try {
    const tokenizing = process.cpuUsage();
    const windows = [];
    for (const batch of batches) windows.push(await session.tokenize(batch.contents));
    const tokenizeCoreSeconds = coreSeconds(tokenizing);
    const encoding = process.cpuUsage();
    let tokens = 0;
    for (const window of windows) tokens += (await session.encodeTokenized(window)).lengths.reduce((a, b) => a + b, 0);
    const modelCoreSeconds = coreSeconds(encoding);
    const rawSeconds = session.timings.runMs / 1000;
    return {
      rawTokensPerSecond: tokens / rawSeconds,
      tokenizeCoreSeconds,
      modelCoreSeconds,
      // Wall time is at least the CPU both need ÷ cores, so this is the best efficiency possible here.
      cpuBoundEfficiency: Math.min(1, (rawSeconds * availableParallelism()) / (modelCoreSeconds + tokenizeCoreSeconds)),
    };
  } finally {
    await session.close();
  }
}

/** The reference pipeline's way: one chunk per session.run in catalog order, all vectors in memory, one write at the end. */
async function referenceTokensPerSecond(
  encoder: ResolvedEncoderOptions,
  path: string,
  outDir: string,
): Promise<number> {
  const started = performance.now();
  const chunks = await windows(path, Number.MAX_SAFE_INTEGER);
  const session = await createEncoder({ ...encoder, batchSize: 1 });
  const encoded = [];
  let tokens = 0;
  try {
    for (const chunk of chunks) {
      for (const content of chunk.contents) {
        const one = await session.encode([content]);
        encoded.push(one);
        tokens += one.lengths[0];
      }
    }
    const writer = await IndexWriter.create({ outDir, dim: session.dim as number, dtype: 'float16' });
    const ids = chunks.flatMap((c) => Array.from(c.ids));
    for (const [i, one] of encoded.entries())
      await writer.append(BigInt64Array.of(ids[i]), one.lengths, one.vectors, [0n]);
    await writer.commit({
      tool: { name: 'reference', version: '0' },
      encoder: { model: '', fingerprint: '', normalized: true },
      catalog: { path, table: 'chunks', nullIdsSkipped: 0, fingerprint: '' },
    });
  } finally {
    await session.close();
  }
  return tokens / ((performance.now() - started) / 1000);
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { threads: { type: 'string' }, window: { type: 'string' } },
  });
  const [model, count] = [positionals[0], Number(positionals[1])];
  const [threads, window] = [values.threads, values.window].map((v) => (v === undefined ? undefined : Number(v)));
  const dir = mkdtempSync(join(tmpdir(), 'xtr-pipeline-'));
  try {
    await writeCatalog(join(dir, 'catalog.duckdb'), catalogRows(await codeChunks(count)));
    const encoder = {
      ...(model.startsWith('builtin:')
        ? { model }
        : { model: join(model, 'model.onnx'), tokenizer: join(model, 'tokenizer.json') }),
      ...(threads ? { threads } : {}),
      ...(window ? { window } : {}),
    };
    writeFileSync(
      join(dir, 'xtr.config.json'),
      JSON.stringify({ catalog: { path: 'catalog.duckdb' }, encoder, output: { dir: 'index' } }),
    );
    const options = normalizeBuildOptions(join(dir, 'xtr.config.json'), {}, dir);

    const summary = await buildIndex(options, { info: () => undefined });
    const rss = peakRssMiB();
    const pipelineTokensPerSecond = summary.tokens / (summary.elapsedMs / 1000);
    // The same without the one-time setup (model load and fingerprint), which a larger corpus amortises.
    const streamingTokensPerSecond = summary.tokens / ((summary.elapsedMs - summary.stages.setupMs) / 1000);
    const alone = await modelAlone(options.encoder, await windows(options.catalogPath, options.window));
    const raw = alone.rawTokensPerSecond;
    const reference = await referenceTokensPerSecond(options.encoder, options.catalogPath, join(dir, 'reference'));
    const stageShares = Object.fromEntries(
      Object.entries(summary.stages).map(([stage, ms]) => [stage.replace(/Ms$/, ''), ms / summary.elapsedMs]),
    );
    console.log(
      JSON.stringify({
        chunks: summary.chunks,
        tokens: summary.tokens,
        pipelineTokensPerSecond,
        ...alone,
        referenceTokensPerSecond: reference,
        pipelineEfficiency: pipelineTokensPerSecond / raw,
        streamingEfficiency: streamingTokensPerSecond / raw,
        setupSeconds: summary.stages.setupMs / 1000,
        speedupVsReference: pipelineTokensPerSecond / reference,
        peakRssMiB: rss,
        stageShares,
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
