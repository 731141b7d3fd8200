import { Background } from './background';

/** A task that runs until released, recording how many run at once. */
function gate(log: { running: number; most: number }) {
  let release: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  const task = async () => {
    log.most = Math.max(log.most, ++log.running);
    await done;
    log.running--;
  };
  return { task, release: () => release() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Background', () => {
  it('runs at most `concurrency` tasks at once, and drains only once all have settled', async () => {
    const log = { running: 0, most: 0 };
    const background = new Background(2, 1000);
    const gates = Array.from({ length: 5 }, () => gate(log));
    for (const { task } of gates) background.add(1, task);
    await tick();
    expect(log.running).toBe(2);
    let drained = false;
    void background.drained().then(() => (drained = true));
    for (const { release } of gates.slice(0, 4)) {
      release();
      await tick();
    }
    expect(drained).toBe(false);
    gates[4].release();
    await tick();
    expect(drained).toBe(true);
    expect(log.most).toBe(2);
  });

  it('refuses a task while the data held by queued ones would exceed its bound, and takes it once they settle', async () => {
    const log = { running: 0, most: 0 };
    const background = new Background(1, 100);
    const first = gate(log);
    expect(background.add(60, first.task)).toBe(true);
    expect(background.add(30, gate(log).task)).toBe(true);
    expect(background.add(20, async () => undefined)).toBe(false);
    first.release();
    await tick();
    expect(background.add(20, async () => undefined)).toBe(true);
  });

  it('takes a task larger than its bound when nothing else is held', () => {
    expect(new Background(1, 100).add(500, async () => undefined)).toBe(true);
  });

  it('keeps going after a task fails', async () => {
    const background = new Background(1, 100);
    let ran = false;
    background.add(1, () => Promise.reject(new Error('disk gone')));
    background.add(1, async () => void (ran = true));
    await background.drained();
    expect(ran).toBe(true);
  });
});
