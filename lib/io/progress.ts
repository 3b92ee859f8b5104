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

/** The time left at the rate so far, in words an admin reads at a glance: "about 2 h 5 min left". */
export function timeLeft(done: number, total: number, elapsedMs: number): string {
  if (done >= total) return 'done';
  if (done === 0 || elapsedMs <= 0) return 'time left not known yet';
  const seconds = Math.ceil(((total - done) * elapsedMs) / done / 1000);
  if (seconds < 60) return `about ${seconds} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}
