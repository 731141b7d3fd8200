/**
 * Peak RSS of a full build with the built-in encoder at two catalog sizes (default 20k and 200k
 * chunks), each build in a fresh process, the two sizes interleaved over rounds (rounds.ts). The
 * streaming pipeline should keep the difference small: memory may grow with the per-chunk columns
 * (ids, lengths, hashes), not with the vectors. A peak is the highest momentary pile of dead
 * buffers before the garbage collector runs, so it moves between runs: hence the rounds.
 *
 *   tsx --conditions=@xtr-nx/source tools/bench/memory.ts [--sizes 20000,200000] [--rounds 3]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ChunkRow, writeCatalog } from '@xtr-nx/catalog';
import { ROOT, runTypeScript } from './bench-support';
import { formatSpread, interleaved, type RunLoad, type Spread, spread } from './rounds';

const SNIPPETS = [
  'export function getUserById(id: number): User | undefined {\n  return users.get(id);\n}\n',
  'class UserRepository {\n  constructor(private readonly db: Database) {}\n  findByEmail(email: string) {\n    return this.db.query("SELECT * FROM users WHERE email = ?", [email]);\n  }\n}\n',
  'def parse_http_response(raw: bytes) -> dict:\n    status, _, body = raw.partition(b"\\r\\n\\r\\n")\n    return {"status": status.decode(), "body": json.loads(body)}\n',
];

function* rows(count: number): Generator<ChunkRow> {
  for (let i = 0; i < count; i++) {
    const content = `// chunk ${i}\n${SNIPPETS[i % 3]}${SNIPPETS[(i * 7) % 3]}`;
    yield {
      id: BigInt(i + 1),
      uri: `src/file${i % 997}.ts`,
      startLine: 1,
      endLine: 10,
      startByte: 0,
      endByte: content.length,
      preview: '',
      content,
      lang: 'typescript',
    };
  }
}

interface BuildRun {
  readonly tokens: number;
  readonly peakRssMiB: number;
  readonly seconds: number;
}

export interface SizeResult {
  readonly chunks: number;
  readonly tokens: number;
  readonly peakRssMiB: Spread;
  readonly seconds: Spread;
}

export interface MemoryResult {
  readonly sizes: readonly SizeResult[];
  /** Largest size's peak RSS minus the smallest's, per round. */
  readonly growthMiB: Spread;
  readonly load: readonly RunLoad[];
}

/** A project folder with a catalog of `chunks` rows and a config for the built-in encoder, without the vector store. */
async function project(dir: string, chunks: number): Promise<string> {
  mkdirSync(dir);
  await writeCatalog(join(dir, 'catalog.duckdb'), rows(chunks));
  writeFileSync(
    join(dir, 'xtr.config.json'),
    JSON.stringify({ catalog: { path: 'catalog.duckdb' }, output: { dir: 'index' }, store: false }),
  );
  return dir;
}

/** A full build: every round encodes every chunk, rather than reusing the index the round before wrote. */
async function build(dir: string): Promise<BuildRun> {
  const summary = JSON.parse(await runTypeScript(join(__dirname, 'build-once.ts'), ['xtr.config.json', '--full'], dir));
  return { tokens: summary.tokens, peakRssMiB: summary.peakRssMiB, seconds: summary.elapsedMs / 1000 };
}

/** Writes one catalog per size once, then builds each size once per round; removes it all after. */
export async function measureMemory(sizes: readonly number[], rounds: number): Promise<MemoryResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'xtr-bench-memory-'));
  try {
    const dirs = await Promise.all(sizes.map((chunks) => project(join(tmp, String(chunks)), chunks)));
    const { samples, load } = await interleaved(
      rounds,
      Object.fromEntries(sizes.map((chunks, i) => [String(chunks), () => build(dirs[i])])),
      (run) => console.error(`  memory round ${run.round}: ${run.configuration} chunks`),
    );
    const runs = sizes.map((chunks) => samples[String(chunks)]);
    const [smallest, largest] = [runs[0], runs[runs.length - 1]];
    return {
      sizes: sizes.map((chunks, i) => ({
        chunks,
        tokens: runs[i][0].tokens,
        peakRssMiB: spread(runs[i].map((r) => r.peakRssMiB)),
        seconds: spread(runs[i].map((r) => r.seconds)),
      })),
      growthMiB: spread(largest.map((r, round) => r.peakRssMiB - smallest[round].peakRssMiB)),
      load,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** One line per size and one for the growth, median (min–max). */
export function memoryLines(result: MemoryResult): string[] {
  return [
    ...result.sizes.map(
      (s) =>
        `${String(s.chunks).padStart(8)} chunks ${String(s.tokens).padStart(10)} tokens  peak RSS ${formatSpread(s.peakRssMiB, 1)} MiB  ${formatSpread(s.seconds, 1)} s`,
    ),
    `peak RSS growth ${result.sizes[0].chunks} → ${result.sizes[result.sizes.length - 1].chunks} chunks: ${formatSpread(result.growthMiB, 1)} MiB`,
  ];
}

async function main() {
  const { values } = parseArgs({
    options: { sizes: { type: 'string', default: '20000,200000' }, rounds: { type: 'string', default: '3' } },
  });
  const result = await measureMemory(values.sizes.split(',').map(Number), Number(values.rounds));
  for (const line of memoryLines(result)) console.log(line);
  mkdirSync(join(ROOT, 'dist/bench'), { recursive: true });
  writeFileSync(join(ROOT, 'dist/bench/memory.json'), `${JSON.stringify(result, null, 2)}\n`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.stack);
    process.exit(1);
  });
}
