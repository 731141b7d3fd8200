/**
 * Runs one build in this process and prints its summary plus peak RSS as JSON: the unit the
 * memory and incremental benchmarks measure, in a fresh process per build, so no build profits
 * from another's caches (model session, DuckDB, JIT).
 *
 *   node --conditions=@xtr-nx/source --import tsx tools/bench/build-once.ts <xtr.config.json> [--full] [--probe]
 *
 * `--full` builds as `xtr build --full`. `--probe` then times, on their own in this process and
 * after the build (so they cannot slow it), the setup steps the summary's `setupMs` lumps
 * together: opening the index just built as a previous index (what an incremental build does
 * before it reuses a vector: verify it, read its manifest and row table), `verifyIndex` alone,
 * loading the encoder, and hashing every chunk's text; every file they read is in the page
 * cache by then, as the build's were.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { contentHash } from '@xtr-nx/catalog';
import { createEncoder } from '@xtr-nx/encoder';
import { type BuildOptions, buildIndex, normalizeBuildOptions } from '@xtr-nx/executor';
import { type IndexManifest, MANIFEST_FILE, PreviousIndex, verifyIndex } from '@xtr-nx/storage';
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
  const windows = await readWindows(options.catalogPath, options.window);
  const contentHashMs = await timed(async () => {
    for (const batch of windows) batch.contents.map(contentHash);
  });
  return { previousIndexOpenMs, verifyMs, modelLoadMs, contentHashMs };
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
