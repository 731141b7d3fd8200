import { type OtherLoad, watchOtherLoad } from './other-load';

/**
 * Repeated measurements of one quantity: the median is the figure to quote, min–max how far it
 * moved between rounds. A ratio quoted without its range hides whether noise could flip it.
 */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Every round's value, in round order. */
  readonly runs: readonly number[];
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spread: no measurements');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: values };
}

/** `a[i] / b[i]` for each round: a ratio is only as steady as the two runs it divides, measured side by side. */
export function pairedRatio(a: readonly number[], b: readonly number[]): Spread {
  return spread(a.map((x, i) => x / b[i]));
}

/** One sample per field, e.g. the stage timings of each round's build. */
export function fieldSpreads<K extends string>(samples: readonly Record<K, number>[]): Record<K, Spread> {
  const keys = Object.keys(samples[0]) as K[];
  return Object.fromEntries(keys.map((key) => [key, spread(samples.map((s) => s[key]))])) as Record<K, Spread>;
}

/** One run of one configuration, with what else the machine did meanwhile. */
export interface RunLoad extends OtherLoad {
  readonly round: number;
  readonly configuration: string;
}

export interface Interleaved<C> {
  /** Each configuration's results in round order. */
  readonly samples: { [K in keyof C]: C[K][] };
  readonly load: readonly RunLoad[];
}

/**
 * Runs each configuration once per round, the order reversed every other round (A B C, C B A,
 * A B C, …): a machine that slows down or speeds up during the run then favours no configuration,
 * and every round holds one run of each, taken under the same conditions, to divide. The first
 * round starts with the first configuration.
 */
export async function interleaved<C extends Record<string, unknown>>(
  rounds: number,
  configurations: { [K in keyof C]: () => Promise<C[K]> },
  onRun: (run: RunLoad) => void = () => undefined,
): Promise<Interleaved<C>> {
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds must be a positive integer, got ${rounds}`);
  const names = Object.keys(configurations) as (keyof C & string)[];
  const samples = Object.fromEntries(names.map((name) => [name, []])) as unknown as { [K in keyof C]: C[K][] };
  const load: RunLoad[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const name of round % 2 ? names : [...names].reverse()) {
      const watch = watchOtherLoad();
      const result = await configurations[name]();
      const run = { round, configuration: name, ...watch() };
      samples[name].push(result);
      load.push(run);
      onRun(run);
    }
  }
  return { samples, load };
}

/** `1,007`: thousands separated, `digits` decimals. */
export function formatNumber(x: number, digits = 0): string {
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `1,007 (985–1,020)`: median, then the range over rounds. */
export function formatSpread(s: Spread, digits = 0): string {
  return `${formatNumber(s.median, digits)} (${formatNumber(s.min, digits)}–${formatNumber(s.max, digits)})`;
}
