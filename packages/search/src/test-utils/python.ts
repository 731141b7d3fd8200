import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import execa from 'execa';

export interface ReferenceResult {
  /** The best k: [id as a string, score]. */
  top: [string, number][];
  /** Every scored chunk's score, by id string. */
  scores: Record<string, number>;
}

export interface ReferenceOptions {
  readonly k: number;
  readonly mode?: 'maxsim' | 'xtr';
  readonly tokenK?: number;
  readonly maxQueryTokens?: number;
  readonly candidates?: readonly bigint[];
}

/** Scores `queries` against the index at `dir` with the numpy reference (tools/python/search_reference.py). */
export async function searchWithNumpy(
  dir: string,
  queryFile: string,
  rowsPerQuery: readonly number[],
  options: ReferenceOptions,
): Promise<ReferenceResult[]> {
  const args = [
    join(__dirname, '../../../../tools/python/search_reference.py'),
    dir,
    queryFile,
    JSON.stringify(rowsPerQuery),
    '--k',
    String(options.k),
    '--mode',
    options.mode ?? 'maxsim',
  ];
  if (options.tokenK !== undefined) args.push('--token-k', String(options.tokenK));
  if (options.maxQueryTokens !== undefined) args.push('--max-query-tokens', String(options.maxQueryTokens));
  if (options.candidates) {
    const file = `${queryFile}.candidates`;
    writeFileSync(file, options.candidates.map(String).join('\n'));
    args.push('--candidates', file);
  }
  const { stdout } = await execa(process.env.XTR_PYTHON ?? 'python3', args);
  return JSON.parse(stdout);
}
