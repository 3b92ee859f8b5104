/**
 * The one rule that keeps a spreadsheet from running a cell idrecon writes as a formula. A cell
 * that starts with = + - @ tab or CR (the characters Excel and LibreOffice read as the start of a
 * formula, OWASP "CSV Injection") is written as a text formula, ="...", with its double quotes
 * doubled: a spreadsheet shows the text itself, runs nothing, and saves the shown text back.
 * Every CSV writer applies it (lib/io/csv-writer.ts, the byte writer included, and results.csv);
 * every reader undoes it (lib/io/table.ts, lib/core/records.ts), so each file round-trips exactly.
 *
 * It is reversible: every cell of the ="..." form starts with =, so a value that genuinely looks
 * like one is wrapped again, and unwrapping gives it back. Pure.
 */

/** 1 for the bytes (and UTF-16 code units) a formula starts with: = + - @ tab CR. */
export const FORMULA_START = new Uint8Array(256);
for (const c of '=+-@\t\r') FORMULA_START[c.charCodeAt(0)] = 1;

export function startsFormula(value: string): boolean {
  const c = value.charCodeAt(0);
  return c < 256 && FORMULA_START[c] === 1;
}

const wrap = (value: string): string => `="${value.replace(/"/g, '""')}"`;

/** A cell as written to any CSV file idrecon makes. */
export function guardCell(value: string): string {
  return startsFormula(value) ? wrap(value) : value;
}

/** Text a spreadsheet would turn into a number or a date (1.5, 2026-01-02, 1e5, 007). */
const NUMBER_LIKE = /^[\d\s.,:/-]+$|^\d+(\.\d+)?e[+-]?\d+$/i;

/**
 * The plan's and the results' cells, which must come back from a spreadsheet unchanged: the
 * formula rule, and the same form for text a spreadsheet would turn into a number or a date.
 */
export function guardText(value: string): string {
  return startsFormula(value) || (value !== '' && NUMBER_LIKE.test(value)) ? wrap(value) : value;
}

const GUARDED = /^="((?:[^"]|"")*)"$/s;

/** Undoes guardCell and guardText; any other cell is returned as it is. */
export function unguardCell(cell: string): string {
  if (cell.charCodeAt(0) !== 0x3d) return cell;
  const m = GUARDED.exec(cell);
  return m ? m[1].replace(/""/g, '"') : cell;
}
