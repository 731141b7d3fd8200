import { chunkFile } from './chunk-file';

describe('chunkFile', () => {
  const text = Array.from({ length: 10 }, (_, i) => `line ${i + 1} é`).join('\n') + '\n';

  it('cuts overlapping windows with 1-based lines and UTF-8 byte offsets', () => {
    const chunks = chunkFile(text, { lines: 4, overlap: 1 });
    expect(chunks.map((c) => [c.startLine, c.endLine])).toEqual([
      [1, 4],
      [4, 7],
      [7, 10],
    ]);
    for (const c of chunks) {
      expect(Buffer.from(text).subarray(c.startByte, c.endByte).toString()).toBe(c.content);
    }
    expect(chunks[1].preview).toBe('line 4 é');
  });

  it('skips blank windows and handles files shorter than one window', () => {
    expect(chunkFile('\n\n\n', { lines: 2, overlap: 0 })).toEqual([]);
    expect(chunkFile('only', { lines: 40, overlap: 10 })).toMatchObject([
      { startLine: 1, endLine: 1, content: 'only' },
    ]);
  });
});
