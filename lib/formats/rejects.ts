/**
 * rejects.csv: the input rows reconcile could not use, with file, line, column and why. Written
 * with CsvWriter (lib/io/csv-writer.ts); docs/reconcile.md explains it.
 */
import type { CloudTable, OnpremTable } from '../core/tables';

export const REJECT_COLUMNS = ['file', 'line', 'column', 'value', 'reason', 'message'] as const;

export type RejectColumn = (typeof REJECT_COLUMNS)[number];

/** The reject line for a record that could not be used, if it is one. */
export function rejectFields(file: string, t: OnpremTable | CloudTable, i: number): string[] | undefined {
  const bad = t.invalid.get(i);
  return bad && [file, String(t.line[i]), bad.column, bad.value, bad.reason, bad.message];
}

