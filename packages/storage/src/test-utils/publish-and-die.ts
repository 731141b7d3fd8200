/**
 * Builds a one-chunk index into argv[2] and SIGKILLs itself between the two renames of the
 * publish (old index retired, new one not yet in place): the state a crash at the worst moment
 * leaves. Runs the real publish code; only `renameSync` is intercepted.
 */
import { IndexWriter } from '../index';

// The module object itself, not an import binding: the publish code's calls go through it.
const fs = require('node:fs') as typeof import('node:fs');
const rename = fs.renameSync;
fs.renameSync = (from, to) => {
  if (String(from).includes('.xtr-staging-')) process.kill(process.pid, 'SIGKILL');
  rename(from, to);
};

async function main() {
  const writer = await IndexWriter.create({ outDir: process.argv[2], dim: 2, dtype: 'float32' });
  await writer.append(BigInt64Array.from([7n]), Int32Array.from([1]), Float32Array.from([1, 0]), [7n]);
  await writer.commit({
    tool: { name: '@xtr-nx/storage', version: 'test' },
    encoder: { model: 'm', fingerprint: 'f', normalized: true },
    catalog: { path: 'c', table: 'chunks', nullIdsSkipped: 0, fingerprint: 'c' },
  });
}

void main();
