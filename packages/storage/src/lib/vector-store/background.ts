/**
 * Store writes running behind the build: at most `concurrency` at once, so a burst of puts does
 * not flood the thread pool the build's own I/O needs, and at most `maxBytes` of their data held
 * in memory, so a store slower than the encoder cannot make the build run out of memory.
 */
export class Background {
  private running = 0;
  private heldBytes = 0;
  private readonly waiting: (() => Promise<void>)[] = [];
  private readonly idle: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxBytes: number,
  ) {}

  /** Queues `task`, which holds `bytes` until it settles; false (not queued) when over the memory bound. */
  add(bytes: number, task: () => Promise<void>): boolean {
    if (this.heldBytes + bytes > this.maxBytes && this.heldBytes > 0) return false;
    this.heldBytes += bytes;
    this.waiting.push(() =>
      task().finally(() => {
        this.heldBytes -= bytes;
      }),
    );
    this.next();
    return true;
  }

  /** Resolves once every queued task has settled. Tasks handle their own failures. */
  drained(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const task = this.waiting.shift() as () => Promise<void>;
      this.running++;
      void task()
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          this.next();
          if (this.running === 0 && this.waiting.length === 0) {
            for (const resolve of this.idle.splice(0)) resolve();
          }
        });
    }
  }
}
