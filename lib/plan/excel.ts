/**
 * Cells a spreadsheet would not keep as text are written as a text formula, ="...": Excel and
 * LibreOffice show the text, and save the shown text back. Reading undoes both forms, so a value
 * comes back byte-identical whether or not the file went through a spreadsheet.
 */

/** Formula starts (=, +, -, @, tab, CR) and text a spreadsheet turns into a number or a date. */
const UNSAFE = /^[=+\-@\t\r]|^[\d\s.,:/-]+$|^\d+(\.\d+)?e[+-]?\d+$/i;

export function protectCell(value: string): string {
  return value !== '' && UNSAFE.test(value) ? `="${value.replace(/"/g, '""')}"` : value;
}

const PROTECTED = /^="((?:[^"]|"")*)"$/s;

export function unprotectCell(cell: string): string {
  const m = PROTECTED.exec(cell);
  return m ? m[1].replace(/""/g, '"') : cell;
}
