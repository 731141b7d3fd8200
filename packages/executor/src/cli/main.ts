import { Command, InvalidArgumentError, Option } from 'commander';
import { LIMITS } from '@xtr-nx/encoder';
import { DEFAULT_MAX_QUERY_TOKENS, DEFAULT_TOKEN_K } from '@xtr-nx/search';
import { type CacheAction, type CacheOptions, runCache } from '../cache/run-cache';
import { runBuild } from '../pipeline/run-build';
import { runMerge, runPlan, type ShardRunOverrides } from '../shards/run-shards';
import { type FingerprintOptions, runFingerprint } from '../fingerprint/run-fingerprint';
import { reportFailure } from '../run-logger';
import { runSearch } from '../search/run-search';
import type { SearchRequest } from '../search/search-request';
import { resolveVerifyTarget, runVerify, type VerifyOverrides } from '../verify/run-verify';
import type { BuildOverrides } from '../config/normalize-options';
import { CONFIG_FILE_NAME } from '../config/defaults';
import { TOOL } from '../tool';

/** A flag value that is an integer from `min` to `max`. */
function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (Number.isInteger(parsed) && parsed >= min && parsed <= max) return parsed;
    throw new InvalidArgumentError(`expected an integer from ${min} to ${max}.`);
  };
}

/** A flag value that is an integer from 1 to `limit`, the bound the build itself enforces. */
const integerUpTo = (limit: number) => integerIn(1, limit);

/** Bounds for `xtr search`: results and XTR's retrieved tokens per query token. */
const MAX_HITS = 10_000;
const MAX_TOKEN_K = 1_000_000;

/** `--candidates` values: chunk ids, exact 64-bit integers, collected over the option's values. */
function chunkIds(value: string, previous: bigint[] = []): bigint[] {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`expected chunk ids (integers), got "${value}".`);
  return [...previous, BigInt(value)];
}

/** Failures print without a stack trace; this is how to get one. */
const STACK_HELP = 'print the stack trace of a failure';

const consoleLogger = { info: (m: string) => console.log(m), error: (m: string) => console.error(m) };

/** The `xtr` command: the same code paths as the Nx executors, usable without Nx. */
export function createProgram(): Command {
  const program = new Command('xtr')
    .description('Build XTR token indexes from DuckDB chunk catalogs')
    .version(TOOL.version);
  program
    .command('build')
    .description('Encode the catalog and publish tokens.f16|f32 + index.meta.json')
    .option('-c, --config <path>', `path to ${CONFIG_FILE_NAME}`, CONFIG_FILE_NAME)
    .option('--catalog <path>', 'DuckDB catalog file (overrides catalog.path)')
    .option('--table <name>', 'table or view with the chunks (overrides catalog.table)')
    .option('--model <model>', 'builtin:hash or an .onnx model (overrides encoder.model)')
    .option('--tokenizer <path>', 'tokenizer.json for an .onnx model (overrides encoder.tokenizer)')
    .option('--max-length <n>', 'tokens kept per chunk (overrides encoder.maxLength)', integerUpTo(LIMITS.maxLength))
    .addOption(
      new Option(
        '--overflow <mode>',
        'chunks longer than maxLength: encoded in windows, or truncated (overrides encoder.overflow)',
      ).choices(['window', 'truncate']),
    )
    .option(
      '--stride <n>',
      'tokens consecutive windows share, at most maxLength / 2 (overrides encoder.stride)',
      integerIn(0, LIMITS.maxLength / 2),
    )
    .option(
      '--batch-size <n>',
      'chunks per onnxruntime call (overrides encoder.batchSize)',
      integerUpTo(LIMITS.batchSize),
    )
    .option(
      '--window <n>',
      'chunks sorted by length before batching (overrides encoder.window)',
      integerUpTo(LIMITS.window),
    )
    .option(
      '--threads <n>',
      'onnxruntime threads, at most the cores (overrides encoder.threads)',
      integerUpTo(LIMITS.threads),
    )
    .option('-o, --output-dir <dir>', 'folder that receives the index (overrides output.dir)')
    .addOption(new Option('--dtype <dtype>', 'element type of the token matrix').choices(['float16', 'float32']))
    .option('--full', 'encode every chunk: reuse no vectors from the previous index or the vector store')
    .option(
      '--shard <n>',
      'build only shard n of a sharded config, from its plan (xtr plan)',
      // The config bounds it further: 0 to its shard count − 1.
      integerIn(0, 1023),
    )
    .option(
      '--verbose',
      'print resolved options, encoder details, where reused vectors came from, a progress line per window and the stack of a failure',
    )
    .action(async (opts: BuildOverrides & { config: string; verbose?: boolean }) => {
      const { config, verbose, ...overrides } = opts;
      process.exitCode = (await runBuild(config, overrides, process.cwd(), { ...consoleLogger, isVerbose: verbose }))
        ? 0
        : 1;
    });
  program
    .command('verify')
    .description(
      'Check an index: format, checksum, finite unit rows, and (by default) that it holds exactly the catalog',
    )
    .argument('[dir]', 'index folder (default: output.dir of the config)')
    .option('-c, --config <path>', `path to ${CONFIG_FILE_NAME}`, CONFIG_FILE_NAME)
    .option('--catalog <path>', 'DuckDB catalog to compare with (default: catalog.path of the config)')
    .option('--table <name>', 'table or view with the chunks')
    .option('--no-check-catalog', 'skip the comparison with the catalog')
    .option('--verbose', STACK_HELP)
    .action(async (dir: string | undefined, opts: VerifyOverrides & { config: string; verbose?: boolean }) => {
      const { config, verbose, ...overrides } = opts;
      const cwd = process.cwd();
      const logger = { ...consoleLogger, isVerbose: verbose };
      try {
        process.exitCode = (await runVerify(resolveVerifyTarget(config, { ...overrides, dir }, cwd), cwd, logger))
          ? 0
          : 1;
      } catch (error) {
        reportFailure('verify', error, logger);
        process.exitCode = 1;
      }
    });
  program
    .command('fingerprint')
    .description(
      "Print a digest of the catalog's (id, content) rows: equal rows, equal digest, whatever the file bytes",
    )
    .option('-c, --config <path>', `path to ${CONFIG_FILE_NAME}`, CONFIG_FILE_NAME)
    .option('--catalog <path>', 'DuckDB catalog (default: catalog.path of the config)')
    .option('--table <name>', 'table or view with the chunks')
    .option(
      '--cache-key',
      'for Nx runtime inputs: print "unavailable" instead of failing when the catalog cannot be read',
    )
    .option('--verbose', STACK_HELP)
    .action(async ({ verbose, ...options }: FingerprintOptions & { verbose?: boolean }) => {
      process.exitCode = (await runFingerprint(options, process.cwd(), { ...consoleLogger, isVerbose: verbose }))
        ? 0
        : 1;
    });
  program
    .command('search')
    .description(
      'Search an index: the chunks whose tokens best match the query, with the encoder the index was built with',
    )
    .argument('<query...>', 'text to search for; several queries are scored in one pass over the index')
    .option('-c, --config <path>', `path to ${CONFIG_FILE_NAME} (the encoder, index and catalog)`, CONFIG_FILE_NAME)
    .option('-k, --k <n>', 'hits per query', integerIn(1, MAX_HITS), 10)
    .addOption(
      new Option('--mode <mode>', 'maxsim: every chunk scored (the Python reader); xtr: XTR token retrieval')
        .choices(['maxsim', 'xtr'])
        .default('maxsim'),
    )
    .option('--candidates <ids...>', 'rescore only these chunk ids', chunkIds)
    .option(
      '--token-k <n>',
      `xtr: document tokens retrieved per query token (default ${DEFAULT_TOKEN_K})`,
      integerIn(1, MAX_TOKEN_K),
    )
    .option(
      '--max-query-tokens <n>',
      `query tokens kept (default ${DEFAULT_MAX_QUERY_TOKENS})`,
      integerUpTo(LIMITS.maxLength),
    )
    .option('--explain', 'per query token, the chunk token it matched and their similarity')
    .option('--json', 'print one JSON object per hit (JSON lines)')
    .option('--dir <dir>', 'index folder (default: output.dir of the config)')
    .option('--verbose', STACK_HELP)
    .action(async (queries: string[], opts: Omit<SearchRequest, 'queries'> & { config: string; verbose?: boolean }) => {
      const { config, verbose, ...request } = opts;
      const logger = { ...consoleLogger, isVerbose: verbose };
      const output = { line: (text: string) => console.log(text), width: process.stdout.columns || 120 };
      process.exitCode = (await runSearch(config, { ...request, queries }, process.cwd(), logger, output)) ? 0 : 1;
    });
  const shardCommand = (name: string, description: string, run: typeof runPlan) =>
    program
      .command(name)
      .description(description)
      .option('-c, --config <path>', `path to ${CONFIG_FILE_NAME}`, CONFIG_FILE_NAME)
      .option('--catalog <path>', 'DuckDB catalog file (overrides catalog.path)')
      .option('--table <name>', 'table or view with the chunks (overrides catalog.table)')
      .option('-o, --output-dir <dir>', 'folder that receives the index (overrides output.dir)')
      .option('--verbose', STACK_HELP)
      .action(async (opts: ShardRunOverrides & { config: string; verbose?: boolean }) => {
        const { config, verbose, ...overrides } = opts;
        const logger = { ...consoleLogger, isVerbose: verbose };
        process.exitCode = (await run(config, overrides, process.cwd(), logger)) ? 0 : 1;
      });
  shardCommand(
    'plan',
    'Sharded configs: scan the catalog once and write the shard plan (each shard’s chunk ids and content hashes)',
    runPlan,
  );
  shardCommand(
    'merge',
    'Sharded configs: merge the planned shards into the index (byte-identical to an unsharded build)',
    runMerge,
  );
  const cache = program
    .command('cache')
    .description('The local vector store incremental builds reuse vectors from: inspect, prune, clear');
  const cacheAction = (action: CacheAction, description: string) =>
    cache
      .command(action)
      .description(description)
      .option('-c, --config <path>', `path to ${CONFIG_FILE_NAME} (its "store" section)`, CONFIG_FILE_NAME)
      .option('--json', 'print JSON instead of text')
      .option('--verbose', STACK_HELP);
  const runCacheAction =
    (action: CacheAction) =>
    async ({ verbose, ...options }: CacheOptions & { verbose?: boolean }) => {
      const logger = { ...consoleLogger, isVerbose: verbose };
      try {
        await runCache(action, options, process.cwd(), logger);
      } catch (error) {
        reportFailure(`cache ${action}`, error, logger);
        process.exitCode = 1;
      }
    };
  cacheAction('stats', 'entries and bytes per encoder, and when they were last used').action(runCacheAction('stats'));
  cacheAction('prune', 'remove least recently used vectors until the store fits its size bound')
    .option('--max-size <size>', 'bound to prune to, such as 1GiB (default: store.maxSize of the config)')
    .action(runCacheAction('prune'));
  cacheAction('clear', 'remove every vector the store holds (files it did not write stay)').action(
    runCacheAction('clear'),
  );
  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  await createProgram().parseAsync(argv);
}
