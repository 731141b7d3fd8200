import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/** SHA-256 over blocks of one buffer, fed in file order. */
export interface BlockHasher {
  /** Hashes `length` bytes at `offset` of the buffer; resolves once those bytes may be overwritten. */
  update(offset: number, length: number): Promise<void>;
  /** Hex digest of everything fed so far (once). */
  digest(): Promise<string>;
  /** Releases the hasher's thread, if it has one; safe to call more than once. */
  close(): Promise<void>;
}

/** Hashes on the calling thread: no start-up cost, for small files. */
export function inlineHasher(buffer: ArrayBufferLike): BlockHasher {
  const hash = createHash('sha256');
  return {
    update: async (offset, length) => void hash.update(new Uint8Array(buffer, offset, length)),
    digest: async () => hash.digest('hex'),
    close: async () => undefined,
  };
}

/*
 * Plain JavaScript evaluated in the worker, so it runs the same from TypeScript sources (tests,
 * tsx) and from the built package. It hashes the block it is told about in the shared buffer and
 * answers every message in order.
 */
const WORKER_SOURCE = `
const { parentPort, workerData: buffer } = require('node:worker_threads');
const hash = require('node:crypto').createHash('sha256');
parentPort.on('message', ({ offset, length }) => {
  if (offset < 0) return parentPort.postMessage(hash.digest('hex'));
  hash.update(new Uint8Array(buffer, offset, length));
  parentPort.postMessage(offset);
});
`;

/** The caller may await a block's promise only later, after the worker failed: never an unhandled rejection. */
function settled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * Hashes on a worker thread reading the caller's shared buffer, so hashing a block overlaps with
 * whatever the caller does with it next (on two cores: SHA-256 on one, the row scan on the other).
 */
export function workerHasher(buffer: SharedArrayBuffer): BlockHasher {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: buffer });
  const waiting: Waiter[] = [];
  let failure: Error | undefined;
  let closed = false;
  const fail = (error: Error) => {
    failure ??= error;
    for (const waiter of waiting.splice(0)) waiter.reject(failure);
  };
  worker.on('message', (answer) => waiting.shift()?.resolve(answer));
  worker.on('error', fail);
  worker.on('exit', (code) => closed || fail(new Error(`the hashing thread stopped (exit code ${code})`)));

  const ask = (offset: number, length: number): Promise<unknown> => {
    if (failure) return Promise.reject(failure);
    const answer = new Promise<unknown>((resolve, reject) => waiting.push({ resolve, reject }));
    worker.postMessage({ offset, length });
    return answer;
  };
  return {
    update: (offset, length) => settled(ask(offset, length).then(() => undefined)),
    digest: () => settled(ask(-1, 0).then(String)),
    close: async () => {
      if (closed) return;
      closed = true;
      fail(new Error('the hashing thread was closed'));
      await worker.terminate();
    },
  };
}
