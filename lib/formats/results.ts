/**
 * results.csv: one row per plan row, appended and handed to the kernel as each row finishes, so
 * a crash loses at most the rows in flight (the journal tells --resume which those were). Cells
 * are protected like the plan's, so the file opens in Excel as evidence without mangling values.
 */
import { closeSync, existsSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { guardText } from '../core/cell-guard';
import { IdreconError } from '../errors';
import { csvRecords } from '../io/csv-writer';
import { causeOf } from '../io/output';
import { readTable } from '../io/table';
import { VERSION } from '../version';

export type ResultStatus =
  | 'applied'
  | 'dry-run'
  | 'skipped-unapproved'
  | 'skipped-edited'
  | 'skipped-review'
  | 'skipped-drift'
  | 'already-done'
  | 'failed'
  | 'rolled-back';

/** Every result status, in the order apply's summary lists them. */
export const RESULT_STATUSES: readonly ResultStatus[] = [
  'applied',
  'dry-run',
  'already-done',
  'skipped-unapproved',
  'skipped-edited',
  'skipped-review',
  'skipped-drift',
  'rolled-back',
  'failed',
];

export const RESULT_COLUMNS = [
  'plan_id',
  'row',
  'upn',
  'cloud_object_id',
  'action',
  'status',
  'before_upn',
  'before_immutable_id',
  'after_upn',
  'after_immutable_id',
  'staging_upn',
  'http_status',
  'graph_error_code',
  'graph_error_message',
  'request_id',
  'attempts',
  'started_at',
  'finished_at',
  'message',
  'idrecon_version',
] as const;

export type ResultColumn = (typeof RESULT_COLUMNS)[number];
export type ResultRow = Record<ResultColumn, string>;

/** A row stamped with the version that writes it, for the change record. */
export function emptyResult(): ResultRow {
  return { ...(Object.fromEntries(RESULT_COLUMNS.map((c) => [c, ''])) as ResultRow), idrecon_version: VERSION };
}

export class ResultsLog {
  private readonly fd: number;

  /** `append` continues a file (apply --resume); otherwise the file is started afresh. */
  constructor(readonly path: string, append: boolean) {
    const fresh = !append || !existsSync(path);
    try {
      this.fd = openSync(path, fresh ? 'w' : 'a');
    } catch (err) {
      throw new IdreconError('OUTPUT_WRITE', `cannot write the results (${causeOf(err)}); close the file or choose another --results`, { file: path });
    }
    if (fresh) writeSync(this.fd, `\ufeff${csvRecords([RESULT_COLUMNS])}`);
  }

  write(r: ResultRow): void {
    const cells = RESULT_COLUMNS.map((c) => (c === 'row' || c === 'attempts' || c === 'http_status' ? r[c] : guardText(r[c])));
    writeSync(this.fd, csvRecords([cells]));
  }

  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

export async function readResults(path: string): Promise<ResultRow[]> {
  // Results written before idrecon_version existed still resume.
  const specs = RESULT_COLUMNS.map((c) => ({ field: c, label: c, aliases: [c], required: c !== 'idrecon_version', expected: 'a results file written by idrecon apply' }));
  const rows: ResultRow[] = [];
  for await (const row of readTable(path, { encoding: 'auto', delimiter: 'auto' }, specs)) {
    rows.push(Object.fromEntries(RESULT_COLUMNS.map((c) => [c, row.cell(c)])) as ResultRow);
  }
  return rows;
}
