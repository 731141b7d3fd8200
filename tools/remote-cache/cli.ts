/**
 * Runs the test remote cache by hand and prints what to export for Nx.
 *
 *   tsx tools/remote-cache/cli.ts [--port 4873] [--host 127.0.0.1|::1] [--dir <folder>] [--hang]
 *
 * Tokens come from REMOTE_CACHE_TOKEN / REMOTE_CACHE_READ_ONLY_TOKEN, or are made up.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startRemoteCache } from './server';

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      dir: { type: 'string' },
      hang: { type: 'boolean', default: false },
    },
  });
  const readWrite = process.env.REMOTE_CACHE_TOKEN || randomBytes(16).toString('hex');
  const readOnly = process.env.REMOTE_CACHE_READ_ONLY_TOKEN || randomBytes(16).toString('hex');
  const cache = await startRemoteCache({
    host: values.host,
    port: Number(values.port),
    dir: values.dir,
    hang: values.hang,
    tokens: { readWrite: [readWrite], readOnly: [readOnly] },
  });
  console.log(
    `remote cache listening on ${cache.url}, entries in ${cache.dir}${values.hang ? ' (hang: never answers)' : ''}`,
  );
  console.log(`export NX_SELF_HOSTED_REMOTE_CACHE_SERVER=${cache.url}`);
  console.log(`export NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN=${readWrite}`);
  console.log(`# read-only: export NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN=${readOnly}`);
  const stop = () => {
    console.log(`stats: ${JSON.stringify(cache.stats)}`);
    void cache.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
