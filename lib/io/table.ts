/**
 * A CSV file as a table: the header checked once against the columns a command needs, then each
 * data row with a way to read those columns by name.
 */
import { unguardCell } from '../core/cell-guard';
import { IdreconError } from '../errors';
import { type ColumnIndexes, type ColumnSpec, resolveColumns } from './columns';
import { type CsvReadOptions, type CsvStats, readCsv } from './csv-reader';

export interface TableRow<F extends string> {
  line: number;
  fields: string[];
  header: readonly string[];
  columns: ColumnIndexes<F>;
  /** The cell of a column, '' when the column is absent or the row is short; the formula guard undone. */
  cell(field: F): string;
  /** The cell as it is in the file, the guard not undone (for a reader that trims first). */
  raw(field: F): string;
}

export async function* readTable<F extends string>(
  file: string,
  read: CsvReadOptions,
  specs: readonly ColumnSpec<F>[],
  explicit: Partial<Record<F, string>> = {},
  stats?: Partial<CsvStats>,
): AsyncGenerator<TableRow<F>> {
  let header: string[] | undefined;
  let columns: ColumnIndexes<F> | undefined;
  for await (const { line, fields } of readCsv(file, read, stats)) {
    if (!header || !columns) {
      header = fields.map((f) => f.trim());
      columns = resolveColumns(header, specs, explicit, { file, line });
      continue;
    }
    const at = columns;
    const raw = (f: F) => (at[f] === undefined ? '' : (fields[at[f]!] ?? ''));
    yield { line, fields, header, columns, raw, cell: (f: F) => unguardCell(raw(f)) };
  }
  if (!header) throw new IdreconError('INPUT_EMPTY', 'the file has no header line; expected a CSV export with column names on the first line', { file });
}

/**
 * The rows of a file idrecon or Graph wrote (any encoding a BOM names, any delimiter), with cells
 * trimmed: for the reconciliation, domains, Okta and local-tenant seed files.
 */
export async function* readTrimmedTable<F extends string>(
  file: string,
  specs: readonly ColumnSpec<F>[],
): AsyncGenerator<{ line: number; cell: (f: F) => string; columns: ColumnIndexes<F> }> {
  for await (const row of readTable(file, { encoding: 'auto', delimiter: 'auto' }, specs)) {
    yield { line: row.line, cell: (f: F) => unguardCell(row.raw(f).trim()), columns: row.columns };
  }
}
