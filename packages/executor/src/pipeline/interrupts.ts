/** Exit codes of a process ended by the signal, as shells report them (128 + signal number). */
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type TrappedSignal = keyof typeof EXIT_CODES;

/** Why a build stopped early: the user (Ctrl-C) or a supervisor (CI timeout, container stop). */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';

  constructor(readonly signal: TrappedSignal) {
    super(`interrupted by ${signal}`);
  }

  get exitCode(): number {
    return EXIT_CODES[this.signal];
  }
}

/**
 * Turns SIGINT and SIGTERM into an abort of the running build, so that it removes its staging
 * folder and frees the output's lock before the process exits, instead of dying mid-write.
 */
export function trapInterrupts(): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handlers = (Object.keys(EXIT_CODES) as TrappedSignal[]).map((name) => {
    const handler = () => controller.abort(new Interrupted(name));
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    dispose: () => handlers.forEach(([name, handler]) => process.off(name, handler)),
  };
}

/** `promise`, or a rejection with the abort reason as soon as `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
