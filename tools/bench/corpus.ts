import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ChunkRow } from '@xtr-nx/catalog';
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
    for (const chunk of chunkFile(readFileSync(join(ROOT, file), 'utf8'), { lines: 40, overlap: 10 })) base.push(chunk.content);
  }
  return Array.from({ length: count }, (_, i) => (i < base.length ? base[i] : `// copy ${Math.floor(i / base.length)}\n${base[i % base.length]}`));
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
