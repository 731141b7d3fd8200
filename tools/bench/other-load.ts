import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** Kernel ticks per second in /proc: USER_HZ, 100 on every Linux architecture. */
const USER_HZ = 100;

/** The first line of a /proc file, or undefined off Linux. */
function firstLine(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').split('\n', 1)[0];
  } catch {
    return undefined;
  }
}

const numbers = (text: string) => text.trim().split(/\s+/).map(Number);

/** Busy (non-idle, non-iowait) CPU seconds of the whole machine so far. */
function machineBusySeconds(): number | undefined {
  const line = firstLine('/proc/stat');
  if (line === undefined) return undefined;
  const ticks = numbers(line).slice(1);
  const [idle, iowait] = [ticks[3], ticks[4]];
  return (ticks.reduce((a, b) => a + b, 0) - idle - iowait) / USER_HZ;
}

/**
 * CPU seconds of this process and of its children that have exited (utime, stime, cutime,
 * cstime): benchmarks that run builds in child processes must not count them as other load.
 */
function ownSeconds(): number | undefined {
  const line = firstLine('/proc/self/stat');
  if (line === undefined) return undefined;
  // After the parenthesised command name, utime, stime, cutime and cstime are the 12th to 15th fields.
  const [utime, stime, cutime, cstime] = numbers(line.slice(line.lastIndexOf(')') + 1)).slice(11, 15);
  return (utime + stime + cutime + cstime) / USER_HZ;
}

export interface OtherLoad {
  /** The 1-minute load average when the measurement started. */
  readonly loadAverage: number;
  /**
   * CPU seconds other processes burned while it ran (the machine's busy time minus this
   * process's and its children's): near 0 on a quiet machine, and the reason when a round
   * stands out. Null off Linux.
   */
  readonly otherCoreSeconds: number | null;
}

/**
 * Starts watching the machine while this process measures something; the returned function
 * tells how much other work ran meanwhile. The load average alone lags by a minute and counts
 * the benchmark too, so it cannot tell a noisy round from a busy benchmark.
 */
export function watchOtherLoad(): () => OtherLoad {
  const loadAverage = loadavg()[0];
  const [busy, own] = [machineBusySeconds(), ownSeconds()];
  return () => {
    const [busyNow, ownNow] = [machineBusySeconds(), ownSeconds()];
    if (busy === undefined || own === undefined || busyNow === undefined || ownNow === undefined)
      return { loadAverage, otherCoreSeconds: null };
    // Tick rounding can leave a few hundredths below zero.
    const other = Math.max(0, busyNow - busy - (ownNow - own));
    return { loadAverage, otherCoreSeconds: Math.round(other * 100) / 100 };
  };
}
