/**
 * Builds a DuckDB chunk catalog of this repository's own source: every file git tracks (or would
 * track: untracked files that are not ignored, the same set Nx hashes) with a source extension,
 * cut into overlapping line windows.
 *
 *   tsx --conditions=@xtr-nx/source tools/catalog/build-catalog.ts --out dist/catalog/repo.duckdb
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type ChunkRow, writeCatalog } from '@xtr-nx/catalog';
import { chunkFile } from './chunk-file';
import { LANGUAGES, sourceFiles } from './source-files';

/** Stable across rebuilds: a chunk keeps its id while its file and first line stay the same. */
function chunkId(uri: string, startLine: number): bigint {
  const digest = createHash('sha256').update(`${uri}:${startLine}`).digest();
  return digest.readBigInt64BE(0) & 0x7fffffffffffffffn;
}

function* rows(root: string, files: readonly string[], lines: number, overlap: number): Generator<ChunkRow> {
  for (const uri of files) {
    const text = readFileSync(resolve(root, uri), 'utf8');
    for (const chunk of chunkFile(text, { lines, overlap })) {
      yield { id: chunkId(uri, chunk.startLine), uri, lang: LANGUAGES[extname(uri)], ...chunk };
    }
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      root: { type: 'string', default: '.' },
      lines: { type: 'string', default: '40' },
      overlap: { type: 'string', default: '10' },
    },
  });
  if (!values.out) throw new Error('build-catalog: --out <file.duckdb> is required.');
  const root = resolve(values.root);
  const out = resolve(values.out);
  mkdirSync(dirname(out), { recursive: true });
  const files = await sourceFiles(root);
  const count = await writeCatalog(out, rows(root, files, Number(values.lines), Number(values.overlap)));
  console.log(`catalog: ${count} chunks from ${files.length} files → ${values.out}`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
