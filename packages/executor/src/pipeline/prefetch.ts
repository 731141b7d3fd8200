/**
 * Runs `source` one item ahead of its consumer: while the consumer works on item n (say, the
 * model encodes a window), item n+1 is already being produced (read from DuckDB, tokenized).
 * At most one item waits, so memory stays bounded.
 */
export async function* prefetch<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const result = await next;
      if (result.done) return;
      next = iterator.next();
      yield result.value;
    }
  } finally {
    // The consumer stopped early (error or break): settle the read in flight, then close.
    await next.catch(() => undefined);
    await iterator.return?.();
  }
}
