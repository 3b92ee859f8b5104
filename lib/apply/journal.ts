/**
 * The journal beside results.csv: one JSON line per step of a write, synced to disk before the
 * step's effect is relied on. After a crash it tells apply --resume which rows were begun, which
 * users were moved to their staging UPN, and which rows are finished. Its first line names the
 * plan by content hash, and each 'begin' carries the row's hash: --resume refuses another plan.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { IdreconError } from '../errors';

export type JournalEvent = 'begin' | 'staged' | 'end';

export interface JournalPlan {
  planId: string;
  planHash: string;
}

export interface JournalContents {
  /** The plan the run began with; absent in a journal written before plans were recorded. */
  plan: JournalPlan | undefined;
  /** The events recorded for each row. */
  rows: Map<number, Set<JournalEvent>>;
  /** The hash of each row when it was begun. */
  rowHashes: Map<number, string>;
  /** Rows whose last attempt has a 'begin' and no 'end' after it. */
  unfinished: Set<number>;
}

export const journalPathFor = (results: string): string => `${results}.journal`;

export class Journal {
  private readonly fd: number;

  /** A new journal starts with the plan it belongs to; a resumed one already has it. */
  constructor(readonly path: string, append: boolean, plan: JournalPlan) {
    const fresh = !append || !existsSync(path);
    try {
      this.fd = openSync(path, fresh ? 'w' : 'a');
    } catch (err) {
      throw new IdreconError('OUTPUT_WRITE', `cannot write the journal (${(err as Error).message}); check the folder is writable`, { file: path });
    }
    if (fresh) this.line({ event: 'plan', ...plan });
  }

  record(row: number, event: JournalEvent, hash?: string): void {
    this.line({ row, event, ...(hash ? { hash } : {}) });
  }

  private line(entry: object): void {
    writeSync(this.fd, `${JSON.stringify({ ...entry, at: new Date().toISOString() })}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** What a journal holds; a torn last line (a crash mid-write) is ignored. */
export function readJournal(path: string): JournalContents {
  const contents: JournalContents = { plan: undefined, rows: new Map(), rowHashes: new Map(), unfinished: new Set() };
  if (!existsSync(path)) return contents;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    let entry: { row?: number; event: JournalEvent | 'plan'; hash?: string; planId?: string; planHash?: string };
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (entry.event === 'plan') {
      contents.plan ??= { planId: entry.planId ?? '', planHash: entry.planHash ?? '' };
      continue;
    }
    const row = entry.row!;
    if (!contents.rows.has(row)) contents.rows.set(row, new Set());
    contents.rows.get(row)!.add(entry.event);
    if (entry.event === 'begin' && entry.hash) contents.rowHashes.set(row, entry.hash);
    if (entry.event === 'begin') contents.unfinished.add(row);
    if (entry.event === 'end') contents.unfinished.delete(row);
  }
  return contents;
}
