/**
 * A single self-overwriting progress line on stderr, only when stderr is a terminal, so logs and
 * pipes stay clean. At most one redraw every 200 ms keeps it off the hot path.
 */
export class Progress {
  private last = 0;
  private shown = false;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly now: () => number = Date.now,
  ) {}

  tick(what: string, rows: number): void {
    if (!this.out.isTTY || (rows & 0x3ff) !== 0) return;
    const t = this.now();
    if (t - this.last < 200) return;
    this.last = t;
    this.shown = true;
    this.out.write(`\r${what}: ${rows.toLocaleString('en-US')} rows\x1b[K`);
  }

  done(): void {
    if (this.shown) this.out.write('\r\x1b[K');
    this.shown = false;
  }
}
