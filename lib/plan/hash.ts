import { createHash } from 'node:crypto';

/**
 * A checksum over the plan id and a row's fields, to catch a cell edited by hand or by a
 * spreadsheet. It detects edits; it is not a signature (anyone with idrecon can recompute it).
 * The `h` prefix keeps spreadsheets from reading the hex digits as a number.
 */
export function rowHash(planId: string, fields: readonly string[]): string {
  return `h${createHash('sha256').update(JSON.stringify([planId, ...fields])).digest('hex').slice(0, 20)}`;
}
