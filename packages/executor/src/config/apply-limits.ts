import { availableParallelism } from 'node:os';
import { type LimitedOption, limitProblem, strideProblem, windowTokensProblem } from '@xtr-nx/encoder';
import { ConfigError } from './xtr-config';

/** The numbers that size a build's memory and threads. */
export interface BuildSizes {
  readonly maxLength: number;
  /** Tokens consecutive windows share; at most half of maxLength. */
  readonly stride: number;
  readonly batchSize: number;
  readonly window: number;
  readonly threads: number;
}

export interface LimitedSizes {
  readonly sizes: BuildSizes;
  /** Lines to print: what was lowered, and why. */
  readonly warnings: string[];
}

/**
 * `sizes` checked against the encoder's limits (every problem at once), with threads beyond the
 * machine's cores lowered to the cores: more threads than cores only take turns on them, and a
 * config committed on a large machine must still build on a small CI runner.
 */
export function applyLimits(sizes: BuildSizes, cores = availableParallelism()): LimitedSizes {
  const names: LimitedOption[] = ['maxLength', 'batchSize', 'window', 'threads'];
  const problems = names.flatMap((name) => limitProblem(name, sizes[name]) ?? []);
  const stride = strideProblem(sizes.stride, sizes.maxLength);
  if (stride) problems.push(stride);
  // A product of numbers that are themselves out of bounds says nothing more.
  const product = problems.length === 0 ? windowTokensProblem(sizes.window, sizes.maxLength) : undefined;
  if (product) problems.push(product);
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  if (sizes.threads <= cores) return { sizes, warnings: [] };
  return {
    sizes: { ...sizes, threads: cores },
    warnings: [
      `warning: "encoder.threads" is ${sizes.threads} but this machine has ${cores} cores; using ${cores} ` +
        '(more threads than cores only take turns on them).',
    ],
  };
}
