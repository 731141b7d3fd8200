import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import execa from 'execa';
import type { ChunkRow } from '@xtr-nx/catalog';
import { isBuiltinModel } from '@xtr-nx/encoder';
import type { ManifestInput } from '@xtr-nx/storage';
import { chunkFile } from '../catalog/chunk-file';
import { sourceFiles } from '../catalog/source-files';

export const ROOT = resolve(__dirname, '../..');

/**
 * Benchmark text: this repository's TypeScript in 40-line chunks, cycled (each copy marked) until
 * there are `count` of them, so every benchmark encodes real code of realistic lengths.
 */
export async function codeChunks(count: number): Promise<string[]> {
  const base: string[] = [];
  for (const file of (await sourceFiles(ROOT)).filter((f) => f.endsWith('.ts'))) {
    for (const chunk of chunkFile(readFileSync(join(ROOT, file), 'utf8'), { lines: 40, overlap: 10 }))
      base.push(chunk.content);
  }
  return Array.from({ length: count }, (_, i) =>
    i < base.length ? base[i] : `// copy ${Math.floor(i / base.length)}\n${base[i % base.length]}`,
  );
}

/** Catalog rows for `texts`, ids in order. */
export function catalogRows(texts: readonly string[]): ChunkRow[] {
  return texts.map((content, i) => ({
    id: BigInt(i + 1),
    uri: `bench/${i}.ts`,
    startLine: 1,
    endLine: 40,
    startByte: 0,
    endByte: content.length,
    preview: '',
    content,
    lang: 'typescript',
  }));
}

/**
 * Runs a TypeScript file in one fresh node process (tsx as a loader), so its peak RSS and
 * timings are its own; resolves to its stdout (its result), while its stderr (progress, errors)
 * shows as it comes. `env`, when given, is the child's whole environment instead of this one's.
 */
export async function runTypeScript(
  file: string,
  args: readonly string[],
  cwd?: string,
  env?: NodeJS.ProcessEnv,
): Promise<string> {
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const { stdout } = await execa(process.execPath, ['--conditions=@xtr-nx/source', '--import', tsx, file, ...args], {
    cwd,
    stderr: 'inherit',
    ...(env && { env, extendEnv: false }),
  });
  return stdout;
}

/** Encoder options naming a test model folder's files, or a built-in encoder as it is. */
export function encoderFiles(target: string): { model: string; tokenizer?: string } {
  return isBuiltinModel(target)
    ? { model: target }
    : { model: join(target, 'model.onnx'), tokenizer: join(target, 'tokenizer.json') };
}

const generated = new Map<string, Promise<string>>();

/**
 * Generates (or regenerates) the `small` or `xtr-base` test model under dist/models and returns
 * its folder; once per process, so every section of one bench run uses the same files.
 */
export function testModelDir(size: string): Promise<string> {
  let dir = generated.get(size);
  if (!dir) {
    const out = join(ROOT, 'dist/models', size);
    dir = runTypeScript(join(ROOT, 'tools/models/generate-test-model.ts'), [
      '--out',
      out,
      '--size',
      size,
      '--tokenizer',
      'unigram',
    ]).then(() => out);
    generated.set(size, dir);
  }
  return dir;
}

/** The manifest of a benchmark's synthetic index: random rows from no catalog or encoder. */
export function syntheticManifest(tool: string): ManifestInput {
  return {
    tool: { name: tool, version: '0' },
    encoder: { model: 'synthetic', fingerprint: 'synthetic', normalized: true },
    catalog: { path: 'none', table: 'chunks', nullIdsSkipped: 0, fingerprint: 'none' },
  };
}
