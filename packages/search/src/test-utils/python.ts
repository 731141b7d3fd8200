import { join } from 'node:path';
import execa from 'execa';

export interface NumpyResult {
  scores: number[];
  top: [string, number][];
}

/** Scores `queries` against the index at `dir` with numpy (see maxsim_topk.py). */
export async function maxSimWithNumpy(
  dir: string,
  queryFile: string,
  rowsPerQuery: readonly number[],
  k: number,
): Promise<NumpyResult[]> {
  const { stdout } = await execa(process.env.XTR_PYTHON ?? 'python3', [
    join(__dirname, 'maxsim_topk.py'),
    dir,
    queryFile,
    JSON.stringify(rowsPerQuery),
    String(k),
  ]);
  return JSON.parse(stdout);
}
