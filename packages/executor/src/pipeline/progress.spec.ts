import { Progress } from './progress';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream, writes };
}

describe('Progress', () => {
  it('rewrites one live line on a terminal', () => {
    const { stream, writes } = fakeStream(true);
    const lines: string[] = [];
    const progress = new Progress(100, { info: (l) => lines.push(l) }, stream);
    progress.update(50, 1000);
    progress.update(100, 2000);
    progress.done();
    expect(writes).toHaveLength(3);
    const clearLine = '\r\x1b[2K';
    expect(writes[0].startsWith(clearLine)).toBe(true);
    expect(writes[0].slice(clearLine.length)).toMatch(/^encoding 50\/100 chunks, \d+ tokens\/s, ETA \d+ s$/);
    expect(writes[2]).toBe(clearLine);
    expect(lines).toEqual([]);
  });

  it('prints plain lines at most every few seconds without a terminal, every window when verbose', () => {
    const quiet = fakeStream(false);
    const lines: string[] = [];
    const progress = new Progress(100, { info: (l) => lines.push(l) }, quiet.stream);
    for (let done = 10; done <= 100; done += 10) progress.update(done, done * 20);
    expect(lines).toEqual([]);
    expect(quiet.writes).toEqual([]);

    const verbose: string[] = [];
    const chatty = new Progress(100, { info: (l) => verbose.push(l), isVerbose: true }, fakeStream(false).stream);
    for (let done = 10; done <= 30; done += 10) chatty.update(done, done * 20);
    expect(verbose).toHaveLength(3);
    expect(verbose[2]).toMatch(/^encoding 30\/100 chunks/);
  });

  it('prints a plain line once five seconds have passed, then waits five more', () => {
    jest.useFakeTimers();
    try {
      const lines: string[] = [];
      const progress = new Progress(100, { info: (l) => lines.push(l) }, fakeStream(false).stream);
      jest.advanceTimersByTime(4_999);
      progress.update(10, 200);
      expect(lines).toEqual([]);
      jest.advanceTimersByTime(2);
      progress.update(20, 400);
      expect(lines).toEqual(['encoding 20/100 chunks, 80 tokens/s, ETA 20 s']);
      jest.advanceTimersByTime(4_000);
      progress.update(30, 600);
      expect(lines).toHaveLength(1);
      jest.advanceTimersByTime(1_000);
      progress.update(40, 800);
      expect(lines).toEqual([
        'encoding 20/100 chunks, 80 tokens/s, ETA 20 s',
        'encoding 40/100 chunks, 80 tokens/s, ETA 15 s',
      ]);
    } finally {
      jest.useRealTimers();
    }
  });
});
