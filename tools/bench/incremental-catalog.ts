import type { ChunkRow } from '@xtr-nx/catalog';
import { codeChunks } from './bench-support';

/** How the edited catalog differs from the original, in files and chunks. */
export interface CatalogEdit {
  readonly chunks: number;
  readonly chunksPerFile: number;
  readonly files: number;
  /** Whole files rewritten: every chunk of them gets a new text (an edit shifts every chunk boundary after it). */
  readonly changedFiles: number;
  readonly changedChunks: number;
  /** Whole files deleted. */
  readonly deletedFiles: number;
  readonly deletedChunks: number;
  /** New files, with texts the original catalog does not hold. */
  readonly addedFiles: number;
  readonly addedChunks: number;
  /** Chunks of the edited catalog. */
  readonly editedChunks: number;
}

/** Where a build's chunks should get their rows (the summary's `reuse` counts, without tokens). */
export interface ExpectedReuse {
  readonly encoded: number;
  readonly fromPrevious: number;
  readonly fromStore: number;
  readonly deduplicated: number;
}

export interface IncrementalCatalogs {
  readonly original: ChunkRow[];
  readonly edited: ChunkRow[];
  readonly edit: CatalogEdit;
  /** Computed from the texts: what each kind of build must report. */
  readonly expected: {
    /** `--full`: every distinct text encoded once. */
    readonly full: ExpectedReuse;
    /** The previous index holds the original catalog's vectors. */
    readonly incremental: ExpectedReuse;
    /** The output folder already holds the edited catalog's index. */
    readonly noChange: ExpectedReuse;
    /** No previous index; the store holds the original catalog's vectors. */
    readonly storeOnly: ExpectedReuse;
  };
}

/** `count` indexes in 0..n-1, evenly spread, starting at `offset` (mod n). */
function spreadOut(count: number, n: number, offset: number): number[] {
  return Array.from({ length: count }, (_, i) => (offset + Math.floor((i * n) / count)) % n);
}

function row(id: number, uri: string, part: number, content: string): ChunkRow {
  return {
    id: BigInt(id),
    uri,
    startLine: 1 + part * 30,
    endLine: 40 + part * 30,
    startByte: 0,
    endByte: content.length,
    preview: '',
    content,
    lang: 'typescript',
  };
}

/**
 * A catalog of `chunks` chunks of this repository's code (`codeChunks`, as the other benchmarks
 * use), `chunksPerFile` per file, and its edit: 1% of the files rewritten (all their chunks
 * change), 0.5% of the chunks deleted and 0.5% added, both as whole files. Edits are spread over
 * the catalog, so most windows of a build hold some reused and some new chunks. Unchanged chunks
 * keep their ids; new ones get ids after the original's.
 */
export async function incrementalCatalogs(chunks: number, chunksPerFile: number): Promise<IncrementalCatalogs> {
  const files = Math.floor(chunks / chunksPerFile);
  if (files * chunksPerFile !== chunks) throw new Error(`${chunks} chunks do not make whole files of ${chunksPerFile}`);
  const changedFiles = Math.max(1, Math.round(files * 0.01));
  const deletedFiles = Math.max(1, Math.round(files * 0.005));
  const addedFiles = deletedFiles;
  const added = addedFiles * chunksPerFile;
  const texts = await codeChunks(chunks + added);
  const uri = (file: number) => `src/file${file}.ts`;

  const original = texts
    .slice(0, chunks)
    .map((content, i) => row(i + 1, uri(Math.floor(i / chunksPerFile)), i % chunksPerFile, content));
  const changed = new Set(spreadOut(changedFiles, files, 0));
  const deleted = new Set(spreadOut(deletedFiles, files, Math.floor(files / (2 * changedFiles))));
  for (const file of deleted)
    if (changed.has(file)) throw new Error(`file ${file} is both changed and deleted: pick other sizes`);
  const edited: ChunkRow[] = [];
  for (const chunk of original) {
    const file = Math.floor((Number(chunk.id) - 1) / chunksPerFile);
    if (deleted.has(file)) continue;
    if (!changed.has(file)) edited.push(chunk);
    else {
      // A line inserted at the top of the file: every chunk of it starts with another line.
      const content = `// revised: ${uri(file)}, part ${chunk.startLine}\n${chunk.content}`;
      edited.push({ ...chunk, content, endByte: content.length });
    }
  }
  texts.slice(chunks).forEach((content, i) => {
    edited.push(row(chunks + i + 1, `src/new${Math.floor(i / chunksPerFile)}.ts`, i % chunksPerFile, content));
  });

  const edit: CatalogEdit = {
    chunks,
    chunksPerFile,
    files,
    changedFiles,
    changedChunks: changedFiles * chunksPerFile,
    deletedFiles,
    deletedChunks: deletedFiles * chunksPerFile,
    addedFiles,
    addedChunks: added,
    editedChunks: edited.length,
  };
  const before = new Set(original.map((c) => c.content));
  const distinct = new Set(edited.map((c) => c.content));
  const known = [...distinct].filter((text) => before.has(text)).length;
  const deduplicated = edited.length - distinct.size;
  const fresh = distinct.size - known;
  // The changed and added texts are new and distinct by construction; anything else means the
  // generator repeated a text, and the counts below would not describe the edit.
  if (fresh !== edit.changedChunks + edit.addedChunks)
    throw new Error(`${fresh} new texts, expected ${edit.changedChunks} changed + ${edit.addedChunks} added`);
  return {
    original,
    edited,
    edit,
    expected: {
      full: { encoded: distinct.size, fromPrevious: 0, fromStore: 0, deduplicated },
      incremental: { encoded: fresh, fromPrevious: known, fromStore: 0, deduplicated },
      noChange: { encoded: 0, fromPrevious: distinct.size, fromStore: 0, deduplicated },
      storeOnly: { encoded: fresh, fromPrevious: 0, fromStore: known, deduplicated },
    },
  };
}
