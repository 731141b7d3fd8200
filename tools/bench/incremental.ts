/**
 * Incremental builds: what a build costs after a small edit, against a full build of the same
 * catalog. Per model, a catalog of this repository's code spread over files and its edit (1% of
 * the files rewritten, 0.5% of the chunks deleted, 0.5% added: incremental-catalog.ts), then per
 * round, interleaved (rounds.ts), each build in a fresh process (build-once.ts):
 *
 * - full: the edited catalog with `--full` into an empty output folder, store off;
 * - incremental: the output folder holds a copy of the original catalog's index, store off, so
 *   the previous index is the only source of vectors;
 * - no change: the output folder already holds the edited catalog's index (a rebuild Nx's cache
 *   did not skip, e.g. `--skip-nx-cache`): nothing to encode;
 * - store only: empty output folder, a copy of a store warmed by the original catalog's build.
 *
 * Every build's reuse counts are checked against the edit, and every build's index against the
 * full build's (token file SHA-256, metadata, manifest): byte-identical, or the bench fails.
 * Prints tables and, run alone, writes dist/bench/incremental.json.
 *
 *   tsx --conditions=@xtr-nx/source tools/bench/incremental.ts [--models small,xtr-base] [--rounds N]
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeCatalog } from '@xtr-nx/catalog';
import type { BuildSummary } from '@xtr-nx/executor';
import { MANIFEST_FILE, META_FILE } from '@xtr-nx/storage';
import { encoderFiles, ROOT, runTypeScript, testModelDir } from './bench-support';
import type { SetupProbe } from './build-once';
import { type CatalogEdit, type ExpectedReuse, incrementalCatalogs } from './incremental-catalog';
import {
  fieldSpreads,
  formatNumber,
  formatSpread,
  interleaved,
  pairedRatio,
  type RunLoad,
  type Spread,
  spread,
} from './rounds';

export interface IncrementalModel {
  readonly model: string;
  readonly chunks: number;
  readonly chunksPerFile: number;
  readonly rounds: number;
  /** Incremental seconds ÷ full seconds to stay within. */
  readonly goal: number;
}

/**
 * The small transformer on 20,000 chunks in 1,000 files; the xtr-base-sized one (≈ 1,000
 * tokens/s here) on a catalog small enough that its full builds (three per model: the original's
 * and one per round) keep the whole section within about 7 minutes on two cores.
 */
export const INCREMENTAL_MODELS: readonly IncrementalModel[] = [
  { model: 'small', chunks: 20_000, chunksPerFile: 20, rounds: 3, goal: 0.05 },
  { model: 'xtr-base', chunks: 200, chunksPerFile: 1, rounds: 2, goal: 0.03 },
];

const CONFIGURATIONS = ['full', 'incremental', 'noChange', 'storeOnly'] as const;
type Configuration = (typeof CONFIGURATIONS)[number];

/**
 * The summary's stage timings in seconds, named without `Ms` (setup, reuseSetup, read, tokenize,
 * run, post, convert, write), and `other`: the wall time minus all of them (negative when stages
 * overlapped more than the time they left out).
 */
type StageSeconds = Record<string, number>;

interface BuildRun {
  readonly seconds: number;
  /** From the process's start to the build's end: node, the loader and imports included. */
  readonly processSeconds: number;
  /** Copying the index or store the build starts from into place: the harness's, not the build's. */
  readonly copySeconds: number;
  readonly chunks: number;
  readonly tokens: number;
  readonly reuse: BuildSummary['reuse'];
  readonly stages: StageSeconds;
  readonly setup: SetupProbe | undefined;
}

type Summary = BuildSummary & { readonly processMs: number; readonly setup?: SetupProbe };

export interface IncrementalResult {
  readonly model: string;
  readonly edit: CatalogEdit;
  /** Tokens of the edited catalog. */
  readonly tokens: number;
  readonly rounds: number;
  readonly goal: number;
  /** The original catalog's full build (untimed setup of the rounds: its index and the warm store). */
  readonly originalBuildSeconds: number;
  readonly seconds: Record<Configuration, Spread>;
  readonly processSeconds: Record<Configuration, Spread>;
  /** Each configuration ÷ the full build of the same round. */
  readonly ratio: Record<Exclude<Configuration, 'full'>, Spread>;
  /** Incremental ÷ full with the model load (measured alone in each incremental build's process) taken off both. */
  readonly ratioWithoutModelLoad: Spread;
  readonly goalMet: boolean;
  /** Every build's counts, the same in every round (checked against `expected`). */
  readonly reuse: Record<Configuration, BuildSummary['reuse']>;
  readonly expected: Record<Configuration, ExpectedReuse>;
  /** The incremental build's time per stage, and its setup's parts measured alone. */
  readonly incrementalStages: Record<keyof StageSeconds, Spread>;
  readonly incrementalSetup: Record<keyof SetupProbe, Spread>;
  readonly copySeconds: Record<'incremental' | 'noChange' | 'storeOnly', Spread>;
  readonly load: readonly RunLoad[];
}

function stageSeconds(summary: Summary): StageSeconds {
  const stages = Object.entries<number>({ ...summary.stages }).map(([name, ms]): [string, number] => [
    name.replace(/Ms$/, ''),
    ms / 1000,
  ]);
  const inStages = stages.reduce((sum, [, seconds]) => sum + seconds, 0);
  return { ...Object.fromEntries(stages), other: summary.elapsedMs / 1000 - inStages };
}

/** How the report names the summary's stages; others go by their own name. */
const STAGE_LABELS: Record<string, string> = {
  setup: 'setup (catalog, model)',
  reuseSetup: 'previous index checked + store opened',
  read: 'read',
  tokenize: 'tokenize',
  run: 'session.run',
  post: 'output head',
  convert: 'convert + checksum',
  write: 'write',
  other: 'rest (wall time − stages)',
};

/** The environment of every build: no `XTR_STORE_DIR` from the caller's shell, which would override the configs' store. */
function buildEnv(): NodeJS.ProcessEnv {
  const { XTR_STORE_DIR: _ignored, ...env } = process.env;
  return env;
}

/** What a build's index must equal, file by file, to be the full build's byte for byte. */
function indexDigest(dir: string): string {
  // The manifest holds the token file's SHA-256 (checked by every verify), the meta file the rest.
  return readFileSync(join(dir, MANIFEST_FILE), 'utf8') + readFileSync(join(dir, META_FILE), 'utf8');
}

function checkReuse(label: string, reuse: BuildSummary['reuse'], expected: ExpectedReuse): void {
  const keys = ['encoded', 'fromPrevious', 'fromStore', 'deduplicated'] as const;
  const wrong = keys.filter((k) => reuse[k] !== expected[k]);
  if (wrong.length > 0)
    throw new Error(
      `${label}: ${wrong.map((k) => `${k} ${reuse[k]}, expected ${expected[k]}`).join('; ')} (${JSON.stringify(reuse)})`,
    );
}

/** Measures one model; `dir` is a fresh temporary folder the caller removes. */
async function measureModel(spec: IncrementalModel, target: string, dir: string, rounds: number) {
  const log = (line: string) => console.error(`  ${spec.model} incremental: ${line}`);
  const { original, edited, edit, expected } = await incrementalCatalogs(spec.chunks, spec.chunksPerFile);
  await writeCatalog(join(dir, 'original.duckdb'), original);
  await writeCatalog(join(dir, 'edited.duckdb'), edited);
  const env = buildEnv();

  /** A project folder `name` building `catalog`; every index is at `<dir>/<name>/index`, so all manifests name the same relative paths. */
  const project = (name: string, catalog: string, store: boolean) => {
    const folder = join(dir, name);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
    const config = {
      catalog: { path: `../${catalog}.duckdb` },
      encoder: encoderFiles(target),
      output: { dir: 'index' },
      store: store ? { dir: 'store', maxSize: '64GiB' } : false,
    };
    writeFileSync(join(folder, 'xtr.config.json'), JSON.stringify(config));
    return folder;
  };
  const build = async (folder: string, flags: string[]): Promise<Summary> =>
    JSON.parse(await runTypeScript(join(__dirname, 'build-once.ts'), ['xtr.config.json', ...flags], folder, env));

  // Untimed: the original catalog's index, and a store filled by building it.
  const originalDir = project('original', 'original', true);
  const first = await build(originalDir, ['--full']);
  log(`original catalog built in ${(first.elapsedMs / 1000).toFixed(1)} s`);
  // The edited catalog's index, for the no-change rebuilds: an incremental build from the original's.
  const editedDir = project('edited', 'edited', false);
  cpSync(join(originalDir, 'index'), join(editedDir, 'index'), { recursive: true });
  await build(editedDir, []);

  let reference: string | undefined;
  const reuse = {} as Record<Configuration, BuildSummary['reuse']>;
  /** One timed build of the edited catalog in `<dir>/<name>`, starting from `copy` (index or store); checked, then removed. */
  const run = async (name: Configuration, flags: string[], copy?: { from: string; to: 'index' | 'store' }) => {
    const folder = project(name, 'edited', copy?.to === 'store');
    const copying = performance.now();
    if (copy) cpSync(copy.from, join(folder, copy.to), { recursive: true });
    const copySeconds = (performance.now() - copying) / 1000;
    const summary = await build(folder, flags);
    checkReuse(`${spec.model} ${name} build`, summary.reuse, expected[name]);
    const digest = indexDigest(join(folder, 'index'));
    reference ??= digest;
    if (digest !== reference) throw new Error(`${spec.model} ${name} build: its index differs from the first build's`);
    reuse[name] = summary.reuse;
    rmSync(folder, { recursive: true, force: true });
    return {
      seconds: summary.elapsedMs / 1000,
      processSeconds: summary.processMs / 1000,
      copySeconds,
      chunks: summary.chunks,
      tokens: summary.tokens,
      reuse: summary.reuse,
      stages: stageSeconds(summary),
      setup: summary.setup,
    } satisfies BuildRun;
  };
  const { samples, load } = await interleaved(
    rounds,
    {
      full: () => run('full', ['--full']),
      incremental: () => run('incremental', ['--probe'], { from: join(originalDir, 'index'), to: 'index' }),
      noChange: () => run('noChange', [], { from: join(editedDir, 'index'), to: 'index' }),
      storeOnly: () => run('storeOnly', [], { from: join(originalDir, 'store'), to: 'store' }),
    } satisfies Record<Configuration, () => Promise<BuildRun>>,
    (r) => log(`round ${r.round}: ${r.configuration} done`),
  );
  return { edit, expected, originalBuildSeconds: first.elapsedMs / 1000, samples, load, reuse };
}

/** Runs every model's rounds in a temporary folder of its own, removed afterwards (also on failure). */
export async function measureIncremental(
  models: readonly IncrementalModel[],
  rounds?: number,
): Promise<IncrementalResult[]> {
  const results: IncrementalResult[] = [];
  for (const spec of models) {
    const target = await testModelDir(spec.model);
    const n = rounds ?? spec.rounds;
    console.error(`${spec.model} incremental: ${spec.chunks} chunks, ${n} rounds`);
    const dir = mkdtempSync(join(tmpdir(), 'xtr-bench-incremental-'));
    try {
      const { edit, expected, originalBuildSeconds, samples, load, reuse } = await measureModel(spec, target, dir, n);
      const { full, incremental } = samples;
      const seconds = (c: Configuration) => samples[c].map((r) => r.seconds);
      const probes = incremental.map((r) => r.setup as SetupProbe);
      const modelLoad = probes.map((p) => p.modelLoadMs / 1000);
      const ratio = pairedRatio(seconds('incremental'), seconds('full'));
      results.push({
        model: spec.model,
        edit,
        tokens: full[0].tokens,
        rounds: n,
        goal: spec.goal,
        originalBuildSeconds,
        seconds: Object.fromEntries(CONFIGURATIONS.map((c) => [c, spread(seconds(c))])) as Record<
          Configuration,
          Spread
        >,
        processSeconds: Object.fromEntries(
          CONFIGURATIONS.map((c) => [c, spread(samples[c].map((r) => r.processSeconds))]),
        ) as Record<Configuration, Spread>,
        ratio: {
          incremental: ratio,
          noChange: pairedRatio(seconds('noChange'), seconds('full')),
          storeOnly: pairedRatio(seconds('storeOnly'), seconds('full')),
        },
        ratioWithoutModelLoad: pairedRatio(
          incremental.map((r, i) => r.seconds - modelLoad[i]),
          full.map((r, i) => r.seconds - modelLoad[i]),
        ),
        goalMet: ratio.median <= spec.goal,
        reuse,
        expected: { ...expected },
        incrementalStages: fieldSpreads(incremental.map((r) => r.stages)),
        incrementalSetup: fieldSpreads(probes.map((p) => scaled(p, 1 / 1000))),
        copySeconds: {
          incremental: spread(incremental.map((r) => r.copySeconds)),
          noChange: spread(samples.noChange.map((r) => r.copySeconds)),
          storeOnly: spread(samples.storeOnly.map((r) => r.copySeconds)),
        },
        load,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

function scaled<K extends string>(values: Record<K, number>, factor: number): Record<K, number> {
  return Object.fromEntries(Object.entries<number>(values).map(([k, v]) => [k, v * factor])) as Record<K, number>;
}

const s = (x: Spread, digits = 2) => `${formatSpread(x, digits)} s`;

/** One block per model, every figure median (min–max) over rounds, every ratio taken within a round. */
export function incrementalLines(results: readonly IncrementalResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const { edit } = r;
    const reused = (c: Configuration) => r.reuse[c].fromPrevious + r.reuse[c].fromStore;
    const st = r.incrementalStages;
    const setup = r.incrementalSetup;
    const others = r.load.map((l) => l.otherCoreSeconds);
    const rows: [string, string][] = [
      ['full build (--full)', s(r.seconds.full, 1)],
      ['incremental build', s(r.seconds.incremental)],
      [
        'incremental ÷ full',
        `${formatSpread(r.ratio.incremental, 4)} — goal ≤ ${r.goal}: ${r.goalMet ? 'met' : 'NOT met'}; without the model load ${formatSpread(r.ratioWithoutModelLoad, 4)}`,
      ],
      ['no-change rebuild', `${s(r.seconds.noChange)}, ÷ full ${formatSpread(r.ratio.noChange, 4)}`],
      ['store only (empty folder)', `${s(r.seconds.storeOnly)}, ÷ full ${formatSpread(r.ratio.storeOnly, 4)}`],
      [
        'reuse, incremental',
        `${r.reuse.incremental.encoded} encoded (= ${edit.changedChunks} changed + ${edit.addedChunks} added), ${reused('incremental')} from the previous index, ${r.reuse.incremental.deduplicated} deduplicated; ${formatNumber(r.reuse.incremental.encodedTokens)} tokens encoded, ${formatNumber(r.reuse.incremental.savedTokens)} reused`,
      ],
      [
        'reuse, full / no change / store',
        `${r.reuse.full.encoded} encoded / ${r.reuse.noChange.encoded} encoded, ${reused('noChange')} reused / ${r.reuse.storeOnly.encoded} encoded, ${r.reuse.storeOnly.fromStore} from the store`,
      ],
      [
        'incremental build, by stage',
        Object.entries(st)
          .map(([stage, spent]) => `${STAGE_LABELS[stage] ?? stage} ${s(spent)}`)
          .join(', '),
      ],
      [
        '  parts measured alone',
        `previous index opened ${s(setup.previousIndexOpenMs)}, of which verify ${s(setup.verifyMs)}; model load ${s(setup.modelLoadMs)}; catalog opened and counted ${s(setup.catalogOpenMs)}`,
      ],
      [
        '  (timed in no stage)',
        `reading the previous token file ${s(setup.tokenFileReadMs)} (copying reused rows reads as much); content hashes ${s(setup.contentHashMs)}`,
      ],
      [
        'outside the build',
        `process start + imports ${s(spread(r.processSeconds.incremental.runs.map((p, i) => p - r.seconds.incremental.runs[i])))}; copying the previous index into place ${s(r.copySeconds.incremental)} (harness)`,
      ],
      [
        'other processes',
        others.some((o) => o === null)
          ? 'not measured on this OS'
          : `at most ${Math.max(...(others as number[])).toFixed(2)} core-s in one build; load average ${Math.min(...r.load.map((l) => l.loadAverage)).toFixed(2)}–${Math.max(...r.load.map((l) => l.loadAverage)).toFixed(2)}`,
      ],
    ];
    lines.push(
      '',
      `${r.model} incremental: ${formatNumber(edit.chunks)} chunks in ${formatNumber(edit.files)} files → edit ${edit.changedFiles} files (${edit.changedChunks} chunks), delete ${edit.deletedFiles} (${edit.deletedChunks}), add ${edit.addedFiles} (${edit.addedChunks}): ${formatNumber(edit.editedChunks)} chunks, ${formatNumber(r.tokens)} tokens; ${r.rounds} rounds — median (min–max)`,
    );
    for (const [label, value] of rows) lines.push(`  ${label.padEnd(34)}${value}`);
  }
  return lines;
}

async function main() {
  const { values } = parseArgs({ options: { models: { type: 'string' }, rounds: { type: 'string' } } });
  const wanted = values.models?.split(',');
  const results = await measureIncremental(
    INCREMENTAL_MODELS.filter((m) => !wanted || wanted.includes(m.model)),
    values.rounds ? Number(values.rounds) : undefined,
  );
  for (const line of incrementalLines(results)) console.log(line);
  mkdirSync(join(ROOT, 'dist/bench'), { recursive: true });
  writeFileSync(join(ROOT, 'dist/bench/incremental.json'), `${JSON.stringify(results, null, 2)}\n`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.stack);
    process.exit(1);
  });
}
