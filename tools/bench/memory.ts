/**
 * Peak RSS of a full build with the built-in encoder at two catalog sizes (default 20k and
 * 200k chunks), each in a fresh process. The streaming pipeline should keep the difference small:
 * memory may grow with the per-chunk columns (ids, lengths, hashes), not with the vectors.
 *
 *   tsx --conditions=@xtr-nx/source tools/bench/memory.ts [--sizes 20000,200000]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ChunkRow, writeCatalog } from '@xtr-nx/catalog';
import { ROOT, runTypeScript } from './bench-support';

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

export interface MemoryResult {
  readonly chunks: number;
  readonly tokens: number;
  readonly peakRssMiB: number;
  readonly seconds: number;
}

export async function measureBuild(chunks: number): Promise<MemoryResult> {
  const dir = mkdtempSync(join(tmpdir(), 'xtr-bench-'));
  try {
    await writeCatalog(join(dir, 'catalog.duckdb'), rows(chunks));
    writeFileSync(
      join(dir, 'xtr.config.json'),
      JSON.stringify({ catalog: { path: 'catalog.duckdb' }, output: { dir: 'index' } }),
    );
    const summary = JSON.parse(await runTypeScript(join(__dirname, 'build-once.ts'), ['xtr.config.json'], dir));
    return { chunks, tokens: summary.tokens, peakRssMiB: summary.peakRssMiB, seconds: summary.elapsedMs / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '20000,200000' } } });
  const results: MemoryResult[] = [];
  for (const size of values.sizes.split(',').map(Number)) {
    const result = await measureBuild(size);
    results.push(result);
    console.log(
      `${String(result.chunks).padStart(8)} chunks  ${String(result.tokens).padStart(10)} tokens  peak RSS ${result.peakRssMiB.toFixed(1)} MiB  ${result.seconds.toFixed(1)} s`,
    );
  }
  const growth = results[results.length - 1].peakRssMiB - results[0].peakRssMiB;
  console.log(
    `peak RSS growth ${results[0].chunks} → ${results[results.length - 1].chunks} chunks: ${growth.toFixed(1)} MiB`,
  );
  mkdirSync(join(ROOT, 'dist/bench'), { recursive: true });
  writeFileSync(join(ROOT, 'dist/bench/memory.json'), `${JSON.stringify({ results, growthMiB: growth }, null, 2)}\n`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.stack);
    process.exit(1);
  });
}
