/** Where progress lines go; `isVerbose` adds resolved options, encoder details and a line per window. */
export interface BuildLogger {
  info(message: string): void;
  readonly isVerbose?: boolean;
}

const INTERVAL_MS = 5000;

/**
 * Reports chunks done, tokens/s and ETA: rewriting one line on a terminal, one plain line every
 * few seconds otherwise (CI logs stay short).
 */
export class Progress {
  private readonly started = performance.now();
  private lastPrinted = this.started;

  constructor(
    private readonly total: number,
    private readonly logger: BuildLogger,
    private readonly stream: NodeJS.WriteStream = process.stdout,
  ) {}

  update(done: number, tokens: number): void {
    const now = performance.now();
    if (!this.stream.isTTY && !this.logger.isVerbose && now - this.lastPrinted < INTERVAL_MS) return;
    this.lastPrinted = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? tokens / seconds : 0;
    const eta = done > 0 ? ((this.total - done) * seconds) / done : 0;
    const line = `encoding ${done}/${this.total} chunks, ${Math.round(rate)} tokens/s, ETA ${eta.toFixed(0)} s`;
    if (this.stream.isTTY && !this.logger.isVerbose) this.stream.write(`\r\x1b[2K${line}`);
    else this.logger.info(line);
  }

  done(): void {
    if (this.stream.isTTY) this.stream.write('\r\x1b[2K');
  }
}
