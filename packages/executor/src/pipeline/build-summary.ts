import type { LongTexts, Overflow } from '@xtr-nx/encoder';
import type { Dtype, StoreCounters } from '@xtr-nx/storage';
import { isBuiltinModel } from '../config/defaults';
import type { ReuseCounts } from './reuse/reuse-counts';

/** Time spent per pipeline stage (stages overlap, so they may add up to more than the wall time). */
export interface StageTimings {
  /** Opening the catalog and loading the encoder (model, tokenizer, fingerprint): once per build. */
  setupMs: number;
  /** Checking the previous index before it may lend vectors (verify, checksum included) and opening the store. */
  reuseSetupMs: number;
  readMs: number;
  tokenizeMs: number;
  runMs: number;
  postMs: number;
  convertMs: number;
  writeMs: number;
}

export interface BuildSummary {
  readonly chunks: number;
  readonly nullIdsSkipped: number;
  readonly tokens: number;
  readonly dim: number;
  readonly dtype: Dtype;
  readonly model: string;
  readonly outputDir: string;
  readonly files: readonly string[];
  readonly bytes: number;
  readonly elapsedMs: number;
  readonly stages: StageTimings;
  readonly reuse: ReuseCounts;
  /** The encoded chunks longer than one model input, and what `overflow` did with them. */
  readonly long: LongChunks;
  /** Estimated encoding time reuse saved, when an encoding speed is known (see `encodingSavedMs`). */
  readonly encodingSavedMs: number | undefined;
  /** The vector store's activity, when the build used one. */
  readonly store: { readonly counters: StoreCounters; readonly warnings: readonly string[] } | undefined;
}

/** `LongTexts` summed over a build's encoded chunks, with the options that decided them. */
export interface LongChunks extends LongTexts {
  readonly overflow: Overflow;
  readonly maxLength: number;
}

/** Adds one window's long texts to `sum`. */
export function addLong(sum: LongChunks, window: LongTexts | undefined): LongChunks {
  if (!window) return sum;
  return {
    ...sum,
    texts: sum.texts + window.texts,
    cutTokens: sum.cutTokens + window.cutTokens,
    extraWindows: sum.extraWindows + window.extraWindows,
  };
}

const count = (n: number) => n.toLocaleString('en-US');

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** The lines printed after every successful build; `display` shortens paths for people. */
export function formatSummary(summary: BuildSummary, display: (path: string) => string): string {
  const seconds = summary.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(summary.tokens / seconds) : summary.tokens;
  const skipped = summary.nullIdsSkipped > 0 ? ` (${summary.nullIdsSkipped} with NULL id skipped)` : '';
  return [
    `xtr index built: ${display(summary.outputDir)}`,
    `  chunks   ${summary.chunks}${skipped}`,
    `  tokens   ${summary.tokens}`,
    `  dim      ${summary.dim} (${summary.dtype}), encoder ${isBuiltinModel(summary.model) ? summary.model : display(summary.model)}`,
    `  files    ${summary.files.join(', ')} — ${mib(summary.bytes)} of vectors`,
    `  reuse    ${formatReuse(summary)}`,
    ...(summary.long.texts > 0 ? [`  long     ${formatLong(summary)}`] : []),
    `  elapsed  ${seconds.toFixed(2)} s — ${rate} tokens/s`,
  ].join('\n');
}

/** Chunks reused, encoded and deduplicated, and the encoding time that saved. */
function formatReuse({ reuse, encodingSavedMs }: BuildSummary): string {
  const reused = reuse.fromPrevious + reuse.fromStore;
  const from = [
    reuse.fromPrevious > 0 && `${reuse.fromPrevious} from the previous index`,
    reuse.fromStore > 0 && `${reuse.fromStore} from the vector store`,
  ].filter(Boolean);
  const parts = [
    `${reused} reused${from.length > 0 ? ` (${from.join(', ')})` : ''}`,
    `${reuse.encoded} encoded`,
    `${reuse.deduplicated} deduplicated`,
  ];
  // Under a twentieth of a second would print as ~0.0 s: not worth a claim.
  if (encodingSavedMs !== undefined && encodingSavedMs >= 50)
    parts.push(`~${(encodingSavedMs / 1000).toFixed(1)} s of encoding saved`);
  return parts.join(', ');
}

/** How many encoded chunks were longer than maxLength, and whether their tail was cut or read in windows. */
function formatLong({ long, reuse, chunks }: BuildSummary): string {
  const among = reuse.encoded < chunks ? ` (of the ${count(reuse.encoded)} encoded)` : '';
  const over = `${count(long.texts)} chunks over maxLength ${long.maxLength}${among}`;
  if (long.overflow === 'window') return `${over}, read in ${count(long.extraWindows)} extra windows`;
  return `${over}: ${count(long.cutTokens)} tokens cut (set encoder.overflow "window" to index them)`;
}

/** Each stage's time as a share of the wall time: where a build spends it besides the model. */
export function formatStages({ stages, elapsedMs }: BuildSummary): string {
  return Object.entries(stages)
    .map(([stage, ms]) => `${stage.replace(/Ms$/, '')} ${((100 * ms) / elapsedMs).toFixed(1)}%`)
    .join(', ');
}
