import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { basename, dirname, join } from 'node:path';
import * as lockfile from 'proper-lockfile';

/**
 * One build at a time publishes into a folder, and recovery after a crash happens only under the
 * same lock. The lock is a directory whose mtime the holder refreshes (a heartbeat): it works
 * across processes, PID namespaces and containers sharing the folder, where a pid says nothing.
 * A holder that died stops refreshing, and its lock is taken over once it is this old.
 */
const LOCK_STALE_MS = 15_000;
const LOCK_REFRESH_MS = 5_000;
const LOCK_POLL_MS = 500;

/** How a claim waits for a folder another build holds. */
export interface LockWait {
  /** Told once, when the claim starts waiting. */
  readonly onWait?: (message: string) => void;
  /** Stops waiting (the claim rejects with the abort reason). */
  readonly signal?: AbortSignal;
}

export interface OutputLock {
  /** Set when another process took the lock over (this one stalled past the stale age). */
  readonly compromised: () => Error | undefined;
  release(): Promise<void>;
  /** For exit paths that cannot wait: signal handlers. */
  releaseSync(): void;
}

function lockPathOf(outDir: string): string {
  return join(dirname(outDir), `.${basename(outDir)}.xtr-lock`);
}

function options(outDir: string, onCompromised: (error: Error) => void): lockfile.LockOptions {
  return {
    realpath: false,
    lockfilePath: lockPathOf(outDir),
    stale: LOCK_STALE_MS,
    update: LOCK_REFRESH_MS,
    onCompromised,
  };
}

function heldMessage(outDir: string): string {
  const lockPath = lockPathOf(outDir);
  const mtime = statSync(lockPath, { throwIfNoEntry: false })?.mtimeMs;
  const age = mtime === undefined ? '' : ` (refreshed ${Math.max(0, (Date.now() - mtime) / 1000).toFixed(0)} s ago)`;
  return (
    `Another xtr build is publishing to ${outDir}: ${lockPath} is held${age}. Waiting for it to finish; ` +
    `a lock left by a killed build is taken over ${LOCK_STALE_MS / 1000} s after it stopped.`
  );
}

function isHeld(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ELOCKED';
}

/** Takes the folder's lock; builds into one folder run one after the other, like cargo's build lock. */
export async function lockOutput(outDir: string, wait: LockWait = {}): Promise<OutputLock> {
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  for (let waiting = false; ; waiting = true) {
    try {
      release = await lockfile.lock(
        outDir,
        options(outDir, (error) => (compromised = error)),
      );
      break;
    } catch (error) {
      if (!isHeld(error)) throw error;
      if (!waiting) wait.onWait?.(heldMessage(outDir));
      await sleep(LOCK_POLL_MS, undefined, { signal: wait.signal }).catch(() => {
        throw wait.signal?.reason;
      });
    }
  }
  let released = false;
  return {
    compromised: () => compromised,
    release: async () => {
      if (released || compromised) return;
      released = true;
      await release();
    },
    releaseSync: () => {
      if (released || compromised) return;
      released = true;
      lockfile.unlockSync(outDir, { realpath: false, lockfilePath: lockPathOf(outDir) });
    },
  };
}

/** Runs `work` under the folder's lock if it is free; returns false without running it when held. */
export function withLockIfFree(outDir: string, work: () => void): boolean {
  let release: () => void;
  try {
    release = lockfile.lockSync(
      outDir,
      options(outDir, () => undefined),
    );
  } catch (error) {
    if (isHeld(error)) return false;
    throw error;
  }
  try {
    work();
  } finally {
    release();
  }
  return true;
}
