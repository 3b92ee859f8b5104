/**
 * What reconcile writes: the reconciliation and rejects rows, and the summary whose counts must
 * add up to the inputs. Pure; docs/reconcile.md explains every column.
 */
import { type CloudRecord, type OnpremRecord, type ReconRow, STATUSES, type Status, expectedImmutableId } from '../core/classify';
import { fromImmutableId, toDisplay } from '../core/guid';
import type { CsvStats } from '../io/csv-reader';

export const RECONCILIATION_COLUMNS = [
  'upn',
  'status',
  'reason',
  'entra_connect',
  'hard_match_upn',
  'expected_immutable_id',
  'cloud_immutable_id',
  'anchor_attribute',
  'object_guid',
  'consistency_guid',
  'cloud_upn',
  'cloud_object_id',
  'cloud_sync_enabled',
  'related_upn',
  'onprem_line',
  'cloud_line',
] as const;

export const REJECT_COLUMNS = ['file', 'line', 'column', 'value', 'reason', 'message'] as const;

const displayGuid = (immutableId: string): string => (immutableId ? toDisplay(fromImmutableId(immutableId)!) : '');

export function reconciliationFields(row: ReconRow): string[] {
  const on = row.onprem;
  const cl = row.cloud;
  return [
    row.upn,
    row.status,
    row.reason,
    row.entraConnect,
    row.hardMatchUpn,
    on ? expectedImmutableId(on) : '',
    cl ? cl.immutableId : '',
    on?.anchorAttribute ?? '',
    on ? displayGuid(on.objectGuid) : '',
    on ? displayGuid(on.consistencyGuid) : '',
    cl ? cl.upn : '',
    cl ? cl.objectId : '',
    cl ? cl.syncEnabled : '',
    row.relatedUpn,
    on ? String(on.line) : '',
    cl ? String(cl.line) : '',
  ];
}

/** The reject line for a record that could not be used, if it is one. */
export function rejectFields(file: string, record: OnpremRecord | CloudRecord): string[] | undefined {
  const bad = record.invalid;
  return bad && [file, String(record.line), bad.column, bad.value, bad.reason, bad.message];
}

export interface InputSummary {
  file: string;
  rows: number;
  blank_rows: number;
  encoding: string;
  delimiter: string;
}

export interface Summary {
  inputs: { onprem: InputSummary; cloud: InputSummary };
  output_rows: number;
  joined_pairs: number;
  rejects: number;
  status: Record<Status, number>;
  status_reason: Record<string, number>;
  entra_connect: Record<string, number>;
  /** onprem rows + cloud rows = output rows + joined pairs. */
  balanced: boolean;
  /** The same check written out for an auditor. */
  check: string;
}

export class SummaryCounter {
  private outputRows = 0;
  private joined = 0;
  private rejects = 0;
  private readonly status = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  private readonly statusReason = new Map<string, number>();
  private readonly entraConnect = new Map<string, number>();

  add(row: ReconRow): void {
    this.outputRows++;
    if (row.onprem && row.cloud) this.joined++;
    this.rejects += Number(row.onprem?.invalid !== undefined) + Number(row.cloud?.invalid !== undefined);
    this.status[row.status]++;
    const key = row.reason ? `${row.status}/${row.reason}` : row.status;
    this.statusReason.set(key, (this.statusReason.get(key) ?? 0) + 1);
    this.entraConnect.set(row.entraConnect, (this.entraConnect.get(row.entraConnect) ?? 0) + 1);
  }

  summary(onprem: InputSummary, cloud: InputSummary): Summary {
    const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
    const balanced = onprem.rows + cloud.rows === this.outputRows + this.joined;
    return {
      inputs: { onprem, cloud },
      output_rows: this.outputRows,
      joined_pairs: this.joined,
      rejects: this.rejects,
      status: this.status,
      status_reason: sorted(this.statusReason),
      entra_connect: sorted(this.entraConnect),
      balanced,
      check: `${onprem.rows} on-prem rows + ${cloud.rows} cloud rows ${balanced ? '=' : '!='} ${this.outputRows} output rows + ${this.joined} joined pairs`,
    };
  }
}

export function inputSummary(file: string, rows: number, stats: CsvStats): InputSummary {
  return { file, rows, blank_rows: stats.blankRows, encoding: stats.encoding, delimiter: stats.delimiter === '\t' ? 'tab' : stats.delimiter };
}

/** The terminal table: counts per status and reason, and where the files went. */
export function summaryTable(s: Summary, outDir: string): string {
  const lines: string[] = [];
  lines.push(`on-prem  ${s.inputs.onprem.rows} rows  ${s.inputs.onprem.file}`);
  lines.push(`cloud    ${s.inputs.cloud.rows} rows  ${s.inputs.cloud.file}`);
  lines.push('');
  const entries = Object.entries(s.status_reason);
  const width = Math.max(24, ...entries.map(([k]) => k.length));
  lines.push(`${'status/reason'.padEnd(width)}  ${'rows'.padStart(8)}`);
  for (const [key, n] of entries) lines.push(`${key.padEnd(width)}  ${String(n).padStart(8)}`);
  lines.push(`${'total'.padEnd(width)}  ${String(s.output_rows).padStart(8)}`);
  lines.push('');
  lines.push(`entra connect: ${Object.entries(s.entra_connect).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  lines.push(`check: ${s.check}`);
  lines.push(`rejects: ${s.rejects}`);
  lines.push(`wrote ${outDir}/reconciliation.csv, rejects.csv, summary.json`);
  return lines.join('\n') + '\n';
}
