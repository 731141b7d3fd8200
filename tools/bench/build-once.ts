/**
 * Runs one build in this process and prints its summary plus peak RSS as JSON: the unit the
 * memory and incremental benchmarks measure, in a fresh process per build, so no build profits
 * from another's caches (model session, DuckDB, JIT).
 *
 *   node --conditions=@xtr-nx/source --import tsx tools/bench/build-once.ts <xtr.config.json> [--full] [--probe]
 *
 * `--full` builds as `xtr build --full`. `--probe` then times, on their own in this process and
 * after the build (so they cannot slow it), the setup steps the summary's `setupMs` lumps
 * together, and two steps of an incremental build no stage times: opening the index just built
 * as a previous index (what an incremental build does before it reuses a vector: verify it, read
 * its manifest and row table), `verifyIndex` alone, loading the encoder, opening and counting the
 * catalog; reading the token file in blocks the size of a window's rows (copying reused rows
 * reads as much) and hashing every chunk's text. Every file they read is in the page cache by
 * then, as the build's were.
 */
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { contentHash, countChunks, openCatalog } from '@xtr-nx/catalog';
import { createEncoder } from '@xtr-nx/encoder';
import { type BuildOptions, buildIndex, normalizeBuildOptions } from '@xtr-nx/executor';
import { type IndexManifest, MANIFEST_FILE, PreviousIndex, TOKENS_FILE, verifyIndex } from '@xtr-nx/storage';
import { readWindows } from './windows';

/** Milliseconds `work` takes. */
async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

export interface SetupProbe {
  /** `PreviousIndex.open` on the index just built: verify, manifest, row table. */
  readonly previousIndexOpenMs: number;
  /** `verifyIndex` alone: the token file's SHA-256 and the metadata checks. */
  readonly verifyMs: number;
  /** `createEncoder` (model, tokenizer, fingerprint) and closing it. */
  readonly modelLoadMs: number;
  /** `openCatalog` and `countChunks`, then closing it. */
  readonly catalogOpenMs: number;
  /** Reading the whole token file in 8 MiB blocks. */
  readonly tokenFileReadMs: number;
  /** `contentHash` of every chunk's text, the catalog already in memory. */
  readonly contentHashMs: number;
}

async function probe(options: BuildOptions): Promise<SetupProbe> {
  const dir = options.outputDir;
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as IndexManifest;
  const key = { fingerprint: manifest.encoder.fingerprint, dtype: options.dtype };
  const previousIndexOpenMs = await timed(async () => {
    const opened = await PreviousIndex.open(dir, key);
    if (!(opened instanceof PreviousIndex)) throw new Error(`the index just built lends no vectors: ${opened.reason}`);
    await opened.close();
  });
  const verifyMs = await timed(async () => {
    const report = await verifyIndex(dir);
    if (!report.ok) throw new Error(`the index just built does not verify: ${report.problems[0]}`);
  });
  const modelLoadMs = await timed(async () => {
    const encoder = await createEncoder({ ...options.encoder, outputDtype: options.dtype });
    await encoder.close();
  });
  const catalogOpenMs = await timed(async () => {
    const catalog = await openCatalog({
      path: options.catalogPath,
      table: options.table,
      memoryLimit: options.catalogMemoryLimit,
    });
    await countChunks(catalog);
    catalog.close();
  });
  const tokenFileReadMs = await timed(async () => {
    const file = await open(join(dir, TOKENS_FILE[options.dtype]), 'r');
    try {
      const block = new Uint8Array(8 << 20);
      while ((await file.read(block, 0, block.length)).bytesRead > 0);
    } finally {
      await file.close();
    }
  });
  const windows = await readWindows(options.catalogPath, options.window);
  const contentHashMs = await timed(async () => {
    for (const batch of windows) batch.contents.map(contentHash);
  });
  return { previousIndexOpenMs, verifyMs, modelLoadMs, catalogOpenMs, tokenFileReadMs, contentHashMs };
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { full: { type: 'boolean', default: false }, probe: { type: 'boolean', default: false } },
  });
  const options = normalizeBuildOptions(positionals[0], { full: values.full }, process.cwd());
  const summary = await buildIndex(options, { info: () => undefined });
  const { maxRSS } = process.resourceUsage();
  // Since the process started: node, the TypeScript loader and the imports, then the build.
  const processMs = performance.now();
  const setup = values.probe ? await probe(options) : undefined;
  console.log(JSON.stringify({ ...summary, peakRssMiB: maxRSS / 1024, processMs, setup }));
}

main().catch((error: Error) => {
  console.error(error.stack);
  process.exit(1);
});
