/** A window of lines from one source file, with the positions the `chunks` schema records. */
export interface SourceChunk {
  readonly startLine: number;
  readonly endLine: number;
  readonly startByte: number;
  readonly endByte: number;
  readonly content: string;
  readonly preview: string;
}

export interface ChunkingOptions {
  /** Lines per chunk. */
  readonly lines: number;
  /** Lines shared by consecutive chunks, so a definition split by a boundary is whole in one. */
  readonly overlap: number;
}

const PREVIEW_LENGTH = 120;

/** Splits a file into overlapping line windows (1-based, inclusive lines; UTF-8 byte offsets). */
export function chunkFile(text: string, { lines, overlap }: ChunkingOptions): SourceChunk[] {
  const fileLines = text.split(/(?<=\n)/);
  const byteStarts = [0];
  for (const line of fileLines) byteStarts.push(byteStarts[byteStarts.length - 1] + Buffer.byteLength(line));
  const chunks: SourceChunk[] = [];
  const step = Math.max(1, lines - overlap);
  for (let start = 0; start < fileLines.length; start += step) {
    const end = Math.min(fileLines.length, start + lines);
    const content = fileLines.slice(start, end).join('');
    if (content.trim() !== '') {
      const preview = content.split('\n').find((l) => l.trim() !== '') ?? '';
      chunks.push({
        startLine: start + 1,
        endLine: end,
        startByte: byteStarts[start],
        endByte: byteStarts[end],
        content,
        preview: preview.trim().slice(0, PREVIEW_LENGTH),
      });
    }
    if (end === fileLines.length) break;
  }
  return chunks;
}
