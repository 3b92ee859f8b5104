/**
 * The journal beside results.csv: one JSON line per step of a write, synced to disk before the
 * step's effect is relied on. After a crash it tells apply --resume which rows were begun, which
 * users were moved to their staging UPN, and which rows are finished.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

export type JournalEvent = 'begin' | 'staged' | 'end';

export const journalPathFor = (results: string): string => `${results}.journal`;

export class Journal {
  private readonly fd: number;

  constructor(readonly path: string, append: boolean) {
    this.fd = openSync(path, append ? 'a' : 'w');
  }

  record(row: number, event: JournalEvent): void {
    writeSync(this.fd, `${JSON.stringify({ row, event, at: new Date().toISOString() })}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** The events recorded for each row; a torn last line (a crash mid-write) is ignored. */
export function readJournal(path: string): Map<number, Set<JournalEvent>> {
  const rows = new Map<number, Set<JournalEvent>>();
  if (!existsSync(path)) return rows;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    let entry: { row: number; event: JournalEvent };
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (!rows.has(entry.row)) rows.set(entry.row, new Set());
    rows.get(entry.row)!.add(entry.event);
  }
  return rows;
}
