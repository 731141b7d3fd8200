import { prefetch } from './prefetch';

describe('prefetch', () => {
  it('produces the next item while the consumer works, never more than one ahead', async () => {
    const log: string[] = [];
    async function* source() {
      for (let i = 0; i < 3; i++) {
        log.push(`produce ${i}`);
        yield i;
      }
    }
    for await (const item of prefetch(source())) {
      log.push(`consume ${item}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(log).toEqual(['produce 0', 'produce 1', 'consume 0', 'produce 2', 'consume 1', 'consume 2']);
  });

  it('closes the source when the consumer fails, without unhandled rejections', async () => {
    let closed = false;
    async function* source() {
      try {
        yield 1;
        yield 2;
        throw new Error('read failed');
      } finally {
        closed = true;
      }
    }
    await expect(
      (async () => {
        for await (const item of prefetch(source())) if (item === 1) throw new Error('consumer failed');
      })(),
    ).rejects.toThrow('consumer failed');
    expect(closed).toBe(true);
  });
});
