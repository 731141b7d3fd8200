export const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | null)?.code;

/** A handler giving `fallback` when the path is gone (a concurrent build or clean-up removed it), rethrowing the rest. */
export function ifGone<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if (errorCode(error) === 'ENOENT') return fallback;
    throw error;
  };
}

/** Nothing at the path: ENOENT, or ENOTDIR when a file stands where one of its folders goes. */
export const isMissing = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes(errorCode(error) ?? '');
