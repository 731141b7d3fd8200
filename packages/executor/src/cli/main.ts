import { Command, InvalidArgumentError, Option } from 'commander';
import { runBuild } from '../pipeline/run-build';
import { type FingerprintOptions, runFingerprint } from '../fingerprint/run-fingerprint';
import { reportFailure } from '../run-logger';
import { resolveVerifyTarget, runVerify, type VerifyOverrides } from '../verify/run-verify';
import type { BuildOverrides } from '../config/normalize-options';
import { CONFIG_FILE_NAME } from '../config/xtr-config';
import { TOOL } from '../tool';

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('expected a positive integer.');
  return parsed;
}

const consoleLogger = { info: (m: string) => console.log(m), error: (m: string) => console.error(m) };

/** The `xtr` command: the same code paths as the Nx executors, usable without Nx. */
export function createProgram(): Command {
  const program = new Command('xtr').description('Build XTR token indexes from DuckDB chunk catalogs').version(TOOL.version);
  program
    .command('build')
    .description('Encode the catalog and publish tokens.f16|f32 + index.meta.json')
    .option('-c, --config <path>', `path to ${CONFIG_FILE_NAME}`, CONFIG_FILE_NAME)
    .option('--catalog <path>', 'DuckDB catalog file (overrides catalog.path)')
    .option('--table <name>', 'table or view with the chunks (overrides catalog.table)')
    .option('--model <model>', 'builtin:hash or an .onnx model (overrides encoder.model)')
    .option('--tokenizer <path>', 'tokenizer.json for an .onnx model (overrides encoder.tokenizer)')
    .option('--max-length <n>', 'tokens kept per chunk (overrides encoder.maxLength)', positiveInteger)
    .option('--batch-size <n>', 'chunks per onnxruntime call (overrides encoder.batchSize)', positiveInteger)
    .option('--window <n>', 'chunks sorted by length together before batching (overrides encoder.window)', positiveInteger)
    .option('--threads <n>', 'onnxruntime intra-op threads (overrides encoder.threads)', positiveInteger)
    .option('-o, --output-dir <dir>', 'folder that receives the index (overrides output.dir)')
    .addOption(new Option('--dtype <dtype>', 'element type of the token matrix').choices(['float16', 'float32']))
    .option('--verbose', 'print resolved options, encoder details and a progress line per window')
    .action(async (opts: BuildOverrides & { config: string; verbose?: boolean }) => {
      const { config, verbose, ...overrides } = opts;
      process.exitCode = (await runBuild(config, overrides, process.cwd(), { ...consoleLogger, isVerbose: verbose })) ? 0 : 1;
    });
  program
    .command('verify')
    .description('Check an index: format, checksum, finite unit rows, and (by default) that it holds exactly the catalog')
    .argument('[dir]', 'index folder (default: output.dir of the config)')
    .option('-c, --config <path>', `path to ${CONFIG_FILE_NAME}`, CONFIG_FILE_NAME)
    .option('--catalog <path>', 'DuckDB catalog to compare with (default: catalog.path of the config)')
    .option('--table <name>', 'table or view with the chunks')
    .option('--no-check-catalog', 'skip the comparison with the catalog')
    .action(async (dir: string | undefined, opts: VerifyOverrides & { config: string }) => {
      const { config, ...overrides } = opts;
      const cwd = process.cwd();
      try {
        process.exitCode = (await runVerify(resolveVerifyTarget(config, { ...overrides, dir }, cwd), cwd, consoleLogger)) ? 0 : 1;
      } catch (error) {
        reportFailure('verify', error, consoleLogger);
        process.exitCode = 1;
      }
    });
  program
    .command('fingerprint')
    .description("Print a digest of the catalog's (id, content) rows: equal rows, equal digest, whatever the file bytes")
    .option('-c, --config <path>', `path to ${CONFIG_FILE_NAME}`, CONFIG_FILE_NAME)
    .option('--catalog <path>', 'DuckDB catalog (default: catalog.path of the config)')
    .option('--table <name>', 'table or view with the chunks')
    .option('--cache-key', 'for Nx runtime inputs: print "unavailable" instead of failing when the catalog cannot be read')
    .action(async (opts: FingerprintOptions) => {
      process.exitCode = (await runFingerprint(opts, process.cwd(), consoleLogger)) ? 0 : 1;
    });
  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  await createProgram().parseAsync(argv);
}
