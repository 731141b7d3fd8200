/**
 * TypeScript side of the search benchmark (search.ts), one measurement per process: times
 * `scoreQueries` on query 0 alone (latency), then on the first `--batch` queries (throughput),
 * each call from opening the index to its top k, as `xtr search` pays it. Prints JSON: seconds
 * and the top-k ids (strings) per query of the batch.
 *
 *   tsx --conditions=@xtr-nx/source tools/bench/search-ts.ts <index-dir> <queries.f32> <rows-per-query JSON>
 *       [--mode maxsim|xtr] [--k 10] [--batch 16] [--token-k N]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { scoreQueries, type SearchMode } from '@xtr-nx/search';
import { DIM } from './search-index';

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      mode: { type: 'string', default: 'maxsim' },
      k: { type: 'string', default: '10' },
      batch: { type: 'string', default: '16' },
      'token-k': { type: 'string' },
    },
  });
  const [dir, queryFile, rowsJson] = positionals;
  const bytes = readFileSync(queryFile);
  const stacked = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  let at = 0;
  const queries = (JSON.parse(rowsJson) as number[]).map((rows) => stacked.slice(at * DIM, (at += rows) * DIM));
  const options = {
    k: Number(values.k),
    mode: values.mode as SearchMode,
    ...(values['token-k'] && { tokenK: Number(values['token-k']) }),
  };
  const timed = async (batch: Float32Array[]) => {
    const start = process.hrtime.bigint();
    const hits = await scoreQueries(dir, batch, options);
    return { seconds: Number(process.hrtime.bigint() - start) / 1e9, hits };
  };
  const latency = await timed(queries.slice(0, 1));
  const batch = await timed(queries.slice(0, Number(values.batch)));
  const top = batch.hits.map((hits) => hits.map((hit) => hit.id.toString()));
  console.log(JSON.stringify({ latencySeconds: latency.seconds, batchSeconds: batch.seconds, top }));
}

main().catch((error: Error) => {
  console.error(error.stack);
  process.exit(1);
});
