/** Where messages go: Nx's logger in executors, the console in the CLI. */
export interface RunLogger {
  info(message: string): void;
  error(message: string): void;
  readonly isVerbose?: boolean;
}

/** Errors whose message already names the problem and the fix: no stack trace needed. */
const USER_ERRORS = new Set(['BuildError', 'CatalogError', 'ConfigError', 'EncoderError', 'StorageError', 'TextEncodingError']);

export function reportFailure(command: string, error: unknown, logger: RunLogger): void {
  const err = error as Error;
  logger.error(USER_ERRORS.has(err.name) ? `xtr ${command} failed: ${err.message}` : `xtr ${command} failed: ${err.stack ?? err}`);
}
