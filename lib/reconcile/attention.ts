/**
 * The rows of a reconciliation that report.html embeds: every status but match, at most
 * `perGroup` of each status/reason (the first in the file), so a large tenant's report stays quick
 * to open and a rare reason is not crowded out by a common one. The rows are read back from the
 * bytes just written to reconciliation.csv, so the page shows every column that file has.
 */
import { unguardCell } from '../core/cell-guard';

export class AttentionSample {
  readonly rows: string[][] = [];
  /** Rows that need attention, embedded or not (the caller counts them: rows may be offered after a first cut). */
  total = 0;
  private readonly taken = new Map<string, Map<string, number>>();

  constructor(readonly perGroup: number) {}

  /** True when a row of this status and reason, offered in file order, is to be embedded; it is then counted against its group. */
  takes(status: string, reason: string): boolean {
    if (status === 'match') return false;
    // By status, then reason: no key string made per row.
    const reasons = this.taken.get(status) ?? this.taken.set(status, new Map()).get(status)!;
    const n = reasons.get(reason) ?? 0;
    if (n >= this.perGroup) return false;
    reasons.set(reason, n + 1);
    return true;
  }

  /** One CSV row as written (UTF-8 text, CRLF-terminated). */
  add(text: string): void {
    // The report shows values, so the formula guard of the CSV is undone (lib/core/cell-guard.ts).
    this.rows.push(parseCsvRow(text).map(unguardCell));
  }
}

/** Splits one CSV record (RFC 4180 quoting, as reconcile writes it) into its fields. */
export function parseCsvRow(text: string): string[] {
  const line = text.replace(/\r?\n$/, '');
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          value += line.slice(i);
          i = line.length;
          break;
        }
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', i);
      fields.push(line.slice(i, comma < 0 ? line.length : comma));
      i = comma < 0 ? line.length : comma;
    }
    if (line[i] !== ',') return fields;
    i++;
  }
}
