import { join } from 'node:path';
import execa from 'execa';

const SCRIPTS = join(__dirname, '../../../../tools/python');

/** Runs one of the workspace's Python interop scripts with the python3 + numpy jest found. */
export async function runPythonScript(script: string, args: readonly string[]): Promise<string> {
  const { stdout } = await execa(process.env.XTR_PYTHON ?? 'python3', [join(SCRIPTS, script), ...args]);
  return stdout;
}

/** Loads an index the way the existing Python reader does; rejects with the failed check. */
export async function checkIndexWithNumpy(dir: string): Promise<Record<string, number | string>> {
  return JSON.parse(await runPythonScript('check_index.py', [dir]));
}
