import { stripVTControlCharacters } from 'node:util';
import execa from 'execa';

export interface TimeBoxed {
  readonly exitCode: number | undefined;
  /** stdout and stderr interleaved, colourless. */
  readonly output: string;
  readonly stdout: string;
  readonly seconds: number;
  readonly timedOut: boolean;
}

/**
 * Runs a command in its own process group and kills the whole group (Nx and every task process
 * it forked) should it outlive `timeoutMs`: a test never leaves a process behind or waits forever.
 */
export async function runTimeBoxed(
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly timeoutMs: number },
): Promise<TimeBoxed> {
  const started = Date.now();
  const child = execa(command, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    all: true,
    reject: false,
    detached: true,
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // already gone
    }
  }, options.timeoutMs);
  const result = await child.finally(() => clearTimeout(timer));
  return {
    exitCode: result.exitCode,
    output: stripVTControlCharacters(result.all ?? ''),
    stdout: result.stdout,
    seconds: (Date.now() - started) / 1000,
    timedOut,
  };
}
