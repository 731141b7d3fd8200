/**
 * Long chunks, truncated or read in windows: what `encoder.overflow` costs and what it finds. Per
 * encoder (builtin:hash, the small generated transformer), on this repository's TypeScript in
 * 40-line chunks (distinct ones only, so a chunk's copy cannot take its place in a ranking),
 * maxLength 256:
 *
 * - how many chunks are longer than maxLength;
 * - index size (rows, bytes) and build time of `truncate` and `window` (full builds in this
 *   process, store off, interleaved rounds: median and min–max);
 * - self-retrieval of tail text: for long chunks with at least 32 tokens past the first window,
 *   the chunk's last words (16 tokens or a few more) as the query, scored with MaxSim over each
 *   index; how often the chunk ranks first and in the top 10.
 *
 *   npx tsx --conditions=@xtr-nx/source tools/bench/overflow.ts [--models builtin:hash,small] [--chunks 1000] [--rounds 3]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeCatalog } from '@xtr-nx/catalog';
import { createEncoder, type Overflow, type TokenEncoder } from '@xtr-nx/encoder';
import { type BuildSummary, buildIndex, normalizeBuildOptions } from '@xtr-nx/executor';
import { scoreQueries } from '@xtr-nx/search';
import { IndexReader } from '@xtr-nx/storage';
import { catalogRows, codeChunks, encoderFiles, testModelDir } from './bench-support';
import { formatNumber, formatSpread, interleaved, pairedRatio, type Spread, spread } from './rounds';

const MAX_LENGTH = 256;
const MODES: readonly Overflow[] = ['truncate', 'window'];
/** Query length in tokens: the shortest tail span taken. */
const QUERY_TOKENS = 16;
/** Text tokens a sampled chunk has past its first window, so the whole query lies there. */
const TAIL_MARGIN = 32;

export interface OverflowModeResult {
  readonly rows: number;
  readonly bytes: number;
  readonly seconds: Spread;
  /** Of which tokenizing (every token of every chunk, in both modes: truncation counts what it cuts). */
  readonly tokenizeSeconds: Spread;
  /** Queries whose chunk ranks first, and within the first 10. */
  readonly top1: number;
  readonly top10: number;
}

export interface OverflowResult {
  readonly model: string;
  readonly chunks: number;
  readonly longChunks: number;
  /** Tokens truncation cuts from them. */
  readonly cutTokens: number;
  /** Extra windows reading them takes. */
  readonly extraWindows: number;
  readonly queries: number;
  readonly rounds: number;
  readonly modes: Record<Overflow, OverflowModeResult>;
  /** Window build seconds ÷ truncate build seconds, per round. */
  readonly timeRatio: Spread;
}

/** The first `count` distinct chunks of this repository's code (codeChunks cycles marked copies). */
async function distinctChunks(count: number): Promise<string[]> {
  const all = await codeChunks(count);
  return [...new Set(all.filter((text) => !text.startsWith('// copy ')))];
}

/** A folder building `texts` with the encoder `target`, full builds with no store. */
async function workspace(dir: string, target: string, texts: readonly string[]) {
  await writeCatalog(join(dir, 'catalog.duckdb'), catalogRows(texts));
  const config = { catalog: { path: 'catalog.duckdb' }, encoder: encoderFiles(target), store: false };
  writeFileSync(join(dir, 'xtr.config.json'), JSON.stringify(config));
  const quiet = { info: () => undefined };
  return (overflow: Overflow): Promise<BuildSummary> =>
    buildIndex(
      normalizeBuildOptions(
        'xtr.config.json',
        { overflow, maxLength: MAX_LENGTH, outputDir: overflow, full: true },
        dir,
      ),
      quiet,
    );
}

/** The chunk's last words, from the first word boundary back that gives at least `QUERY_TOKENS` tokens. */
async function tailQuery(encoder: TokenEncoder, text: string): Promise<string> {
  const words = text.trimEnd().split(/(?<=\s)(?=\S)/);
  for (let first = words.length - 1; first > 0; first--) {
    const span = words.slice(first).join('');
    const { tokens } = await encoder.tokenize([span]);
    if (tokens[0].length >= QUERY_TOKENS) return span;
  }
  return text;
}

/** Ranks of each query's own chunk (ids are text positions + 1) in the index at `dir`: 1-based, 0 when not in the top 10. */
async function ranks(dir: string, queries: readonly Float32Array[], ids: readonly bigint[]): Promise<number[]> {
  const hits = await scoreQueries(dir, queries, { k: 10 });
  return hits.map((list, q) => list.find((hit) => hit.id === ids[q])?.rank ?? 0);
}

/** Builds and queries `chunks` chunks with the encoder in folder `target` (or a built-in), named `model`. */
export async function measureOverflow(
  model: string,
  target: string,
  chunks: number,
  rounds: number,
): Promise<OverflowResult> {
  const texts = await distinctChunks(chunks);
  const dir = mkdtempSync(join(tmpdir(), 'xtr-bench-overflow-'));
  try {
    const build = await workspace(dir, target, texts);
    const { samples } = await interleaved(rounds, {
      truncate: () => build('truncate'),
      window: () => build('window'),
    });
    const [truncated, windowed] = [samples.truncate[0], samples.window[0]];
    // Long chunks whose query lies wholly past the first window, as the window index's lengths show.
    const lengths = IndexReader.open(join(dir, 'window')).meta.lengths;
    const sampled = texts.flatMap((_, i) => (lengths[i] >= MAX_LENGTH + TAIL_MARGIN ? [i] : []));
    const encoder = await createEncoder({
      ...normalizeBuildOptions('xtr.config.json', { maxLength: MAX_LENGTH }, dir).encoder,
      outputDtype: 'float32',
    });
    let queries: Float32Array[];
    try {
      queries = [];
      for (const i of sampled)
        queries.push((await encoder.encode([await tailQuery(encoder, texts[i])])).vectors as Float32Array);
    } finally {
      await encoder.close();
    }
    const ids = sampled.map((i) => BigInt(i + 1));
    const seconds = (mode: Overflow) => samples[mode].map((s) => s.elapsedMs / 1000);
    const modes = {} as Record<Overflow, OverflowModeResult>;
    for (const mode of MODES) {
      const found = await ranks(join(dir, mode), queries, ids);
      const summary = samples[mode][0];
      modes[mode] = {
        rows: summary.tokens,
        bytes: summary.bytes,
        seconds: spread(seconds(mode)),
        tokenizeSeconds: spread(samples[mode].map((s) => s.stages.tokenizeMs / 1000)),
        top1: found.filter((rank) => rank === 1).length,
        top10: found.filter((rank) => rank > 0).length,
      };
    }
    return {
      model,
      chunks: texts.length,
      longChunks: truncated.long.texts,
      cutTokens: truncated.long.cutTokens,
      extraWindows: windowed.long.extraWindows,
      queries: sampled.length,
      rounds,
      modes,
      timeRatio: pairedRatio(seconds('window'), seconds('truncate')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

/** The result as a table, one per model. */
export function overflowLines(result: OverflowResult): string[] {
  const { modes } = result;
  return [
    `${result.model}: ${result.chunks} chunks, maxLength ${MAX_LENGTH}, ${result.rounds} interleaved rounds`,
    `  longer than maxLength  ${result.longChunks} (${percent(result.longChunks, result.chunks)}); truncation cuts ${formatNumber(result.cutTokens)} tokens, windows add ${formatNumber(result.extraWindows)} model inputs`,
    `  tail queries           ${result.queries} (the last ≥${QUERY_TOKENS} tokens of chunks with ≥${TAIL_MARGIN} tokens past the first window)`,
    '  mode       rows        bytes          build s (min–max)      tokenize s   tail top-1   tail top-10',
    ...MODES.map((mode) => {
      const m = modes[mode];
      return `  ${mode.padEnd(9)}  ${formatNumber(m.rows).padStart(9)}  ${formatNumber(m.bytes).padStart(12)}   ${formatSpread(m.seconds, 2).padEnd(22)} ${formatNumber(m.tokenizeSeconds.median, 2).padStart(10)} ${percent(m.top1, result.queries).padStart(10)}   ${percent(m.top10, result.queries).padStart(11)}`;
    }),
    `  window ÷ truncate build time: ${formatSpread(result.timeRatio, 2)}; rows ×${(modes.window.rows / modes.truncate.rows).toFixed(2)}`,
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: 'builtin:hash,small' },
      chunks: { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const results: OverflowResult[] = [];
  for (const name of values.models.split(',')) {
    const target = name.startsWith('builtin:') ? name : await testModelDir(name);
    console.error(`overflow: ${name}`);
    const result = await measureOverflow(name, target, Number(values.chunks), Number(values.rounds));
    results.push(result);
    console.log(overflowLines(result).join('\n'));
  }
  console.error(JSON.stringify(results, (_, v) => (typeof v === 'bigint' ? String(v) : v)));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
