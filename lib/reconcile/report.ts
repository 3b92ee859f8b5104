/**
 * What reconcile writes: the reconciliation and rejects rows, and the summary whose counts must
 * add up to the inputs. Pure; docs/reconcile.md explains every column.
 */
import { ANCHOR_ATTRIBUTES, type CloudTable, GuidKind, IdKind, type OnpremTable } from '../core/tables';
import { type ReconRow, STATUSES, type Status } from '../core/classify';
import { type TenantSettings, settingsLine } from './tenant-settings';
import { writeDisplayGuid, writeImmutableId } from '../core/guid';
import type { CsvStats } from '../io/csv-reader';
import type { CsvBytes } from '../io/csv-writer';
import { type Colour, NO_COLOUR } from '../io/colour';
import { join } from 'node:path';
import type { OktaSummary } from './okta';

export const RECONCILIATION_COLUMNS = [
  'upn',
  'status',
  'reason',
  'entra_connect',
  'entra_connect_reason',
  'match_upn',
  'expected_immutable_id',
  'cloud_immutable_id',
  'anchor_attribute',
  'object_guid',
  'consistency_guid',
  'cloud_upn',
  'cloud_object_id',
  'cloud_sync_enabled',
  'cloud_roles',
  'cloud_privileged_role',
  'related_upn',
  'onprem_line',
  'cloud_line',
] as const;

export const REJECT_COLUMNS = ['file', 'line', 'column', 'value', 'reason', 'message'] as const;

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
/** Every status, reason and outcome is ASCII, encoded once. */
const encoded = new Map<string, Buffer>();
const bytesOf = (text: string): Buffer => encoded.get(text) ?? encoded.set(text, ascii(text)).get(text)!;
const SYNC = [ascii(''), ascii('true'), ascii('false')];
const PRIVILEGED = [ascii(''), ascii('True'), ascii('False')];

/** Writes the fields of one reconciliation row (the caller ends it), copying each value from the tables (docs/reconcile.md has the columns). */
export function writeReconciliationRow(w: CsvBytes, row: ReconRow, on: OnpremTable, cl: CloudTable): void {
  const o = row.onprem;
  const c = row.cloud;
  if (o >= 0) upn(w, on, o);
  else upn(w, cl, c);
  w.ascii(bytesOf(row.status));
  w.ascii(bytesOf(row.reason));
  w.ascii(bytesOf(row.entraConnect));
  w.ascii(bytesOf(row.entraConnectReason));
  if (row.match >= 0) upn(w, cl, row.match);
  else w.empty();
  const anchorAt = o >= 0 ? on.anchorAt(o) : -1;
  if (anchorAt >= 0) immutableId(w, on.guids, anchorAt);
  else w.empty();
  if (c >= 0 && cl.idKind[c] === IdKind.Guid) immutableId(w, cl.ids, c * 16);
  else if (c >= 0 && cl.idKind[c] === IdKind.Other) w.field(cl.arena.bytes, cl.idAt[c], cl.idAt[c] + cl.idLen[c]);
  else w.empty();
  w.ascii(bytesOf(o >= 0 ? (ANCHOR_ATTRIBUTES[on.anchor[o]] ?? '') : ''));
  if (o >= 0 && on.objectGuidKind[o] === GuidKind.Guid) displayGuid(w, on.guids, o * 32);
  else w.empty();
  if (o >= 0 && on.consistencyGuidKind[o] === GuidKind.Guid) displayGuid(w, on.guids, o * 32 + 16);
  else w.empty();
  if (c >= 0) {
    upn(w, cl, c);
    w.field(cl.arena.bytes, cl.objectIdAt[c], cl.objectIdAt[c] + cl.objectIdLen[c]);
    w.ascii(SYNC[cl.sync[c]]);
  } else {
    w.empty();
    w.empty();
    w.empty();
  }
  if (c >= 0 && cl.hasRoles) {
    w.field(cl.arena.bytes, cl.rolesAt[c], cl.rolesAt[c] + cl.rolesLen[c]);
    w.ascii(PRIVILEGED[cl.privileged[c]]);
  } else {
    w.empty();
    w.empty();
  }
  if (row.relatedOnprem >= 0) upn(w, on, row.relatedOnprem);
  else if (row.relatedCloud >= 0) upn(w, cl, row.relatedCloud);
  else w.empty();
  if (o >= 0) w.integer(on.line[o]);
  else w.empty();
  if (c >= 0) w.integer(cl.line[c]);
  else w.empty();
}

function upn(w: CsvBytes, t: OnpremTable | CloudTable, i: number): void {
  w.field(t.arena.bytes, t.upnAt[i], t.upnAt[i] + t.upnLen[i]);
}

function immutableId(w: CsvBytes, src: Uint8Array, at: number): void {
  writeImmutableId(src, at, w.next(24), w.pos);
  w.placed(24);
}

function displayGuid(w: CsvBytes, src: Uint8Array, at: number): void {
  writeDisplayGuid(src, at, w.next(36), w.pos);
  w.placed(36);
}

/** The reject line for a record that could not be used, if it is one. */
export function rejectFields(file: string, t: OnpremTable | CloudTable, i: number): string[] | undefined {
  const bad = t.invalid.get(i);
  return bad && [file, String(t.line[i]), bad.column, bad.value, bad.reason, bad.message];
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
  /** Entra Connect outcomes by reason, as `outcome/reason` (an outcome alone where there is none). */
  entra_connect_reason: Record<string, number>;
  /** The tenant switches the prediction assumed, each with where it came from. */
  tenant_settings: TenantSettings;
  /** With reconcile --okta only. */
  okta?: OktaSummary;
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
  /** Counts by status, then reason. */
  private readonly statusReason = new Map<string, Map<string, number>>();
  private readonly entraConnect = new Map<string, number>();
  /** Counts by outcome, then reason. */
  private readonly entraConnectReason = new Map<string, Map<string, number>>();

  /** `rejects`: how many of the row's records could not be used. */
  add(row: ReconRow, rejects: number): void {
    this.outputRows++;
    if (row.onprem >= 0 && row.cloud >= 0) this.joined++;
    this.rejects += rejects;
    this.status[row.status]++;
    const reasons = this.statusReason.get(row.status) ?? this.statusReason.set(row.status, new Map()).get(row.status)!;
    reasons.set(row.reason, (reasons.get(row.reason) ?? 0) + 1);
    this.entraConnect.set(row.entraConnect, (this.entraConnect.get(row.entraConnect) ?? 0) + 1);
    const why = this.entraConnectReason.get(row.entraConnect) ?? this.entraConnectReason.set(row.entraConnect, new Map()).get(row.entraConnect)!;
    why.set(row.entraConnectReason, (why.get(row.entraConnectReason) ?? 0) + 1);
  }

  summary(onprem: InputSummary, cloud: InputSummary, tenant: TenantSettings): Summary {
    const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
    const balanced = onprem.rows + cloud.rows === this.outputRows + this.joined;
    return {
      inputs: { onprem, cloud },
      output_rows: this.outputRows,
      joined_pairs: this.joined,
      rejects: this.rejects,
      status: this.status,
      status_reason: sorted(new Map([...this.statusReason].flatMap(([status, reasons]) => [...reasons].map(([reason, n]) => [reason ? `${status}/${reason}` : status, n])))),
      entra_connect: sorted(this.entraConnect),
      entra_connect_reason: sorted(new Map([...this.entraConnectReason].flatMap(([outcome, why]) => [...why].map(([reason, n]) => [reason ? `${outcome}/${reason}` : outcome, n])))),
      tenant_settings: tenant,
      balanced,
      check: `${onprem.rows} on-prem rows + ${cloud.rows} cloud rows ${balanced ? '=' : '!='} ${this.outputRows} output rows + ${this.joined} joined pairs`,
    };
  }
}

export function inputSummary(file: string, rows: number, stats: CsvStats): InputSummary {
  return { file, rows, blank_rows: stats.blankRows, encoding: stats.encoding, delimiter: stats.delimiter === '\t' ? 'tab' : stats.delimiter };
}

/**
 * The terminal summary: what is right first (match), then what needs attention, largest status
 * first with its reasons, and at the end the next command to run.
 */
export function summaryTable(s: Summary, outDir: string, opts: { report: boolean; plan: boolean; colour: Colour } = { report: false, plan: false, colour: NO_COLOUR }): string {
  const c = opts.colour;
  const lines: string[] = [];
  lines.push(`on-prem  ${s.inputs.onprem.rows} rows  ${s.inputs.onprem.file}`);
  lines.push(`cloud    ${s.inputs.cloud.rows} rows  ${s.inputs.cloud.file}`);
  lines.push('');
  const reasons = Object.entries(s.status_reason);
  const width = Math.max(30, ...reasons.map(([k]) => k.length - k.indexOf('/') + 4));
  const line = (label: string, n: number, note = '') => `${label.padEnd(width)}  ${String(n).padStart(8)}${note ? `  ${note}` : ''}`;
  const attention = s.output_rows - s.status.match;
  lines.push(c.good(line('match', s.status.match, 'right already: nothing to do')));
  lines.push(attention > 0 ? c.attention(line('needs attention', attention)) : line('needs attention', 0, 'nothing'));
  const byCount = (a: [string, number], b: [string, number]) => b[1] - a[1] || a[0].localeCompare(b[0]);
  for (const [status, n] of (Object.entries(s.status) as [string, number][]).filter(([k, n]) => k !== 'match' && n > 0).sort(byCount)) {
    lines.push(line(`  ${status}`, n));
    for (const [key, m] of reasons.filter(([k]) => k.startsWith(`${status}/`)).sort(byCount)) lines.push(line(`    ${key.slice(status.length + 1)}`, m));
  }
  lines.push(line('total', s.output_rows));
  lines.push('');
  lines.push(`entra connect: ${Object.entries(s.entra_connect_reason).sort(byCount).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  lines.push(settingsLine(s.tenant_settings));
  if (s.okta) {
    const k = s.okta.check;
    lines.push(`okta: agrees ${k.agrees}, differs ${k.differs}, not-assigned ${k['not-assigned']} (${s.okta.users} Okta users, ${s.okta.not_in_reconciliation} of them in no row)`);
  }
  lines.push(`check: ${s.check}`);
  lines.push(`rejects: ${s.rejects}${s.rejects > 0 ? ' (rejects.csv says why)' : ''}`);
  lines.push(`wrote ${join(outDir, 'reconciliation.csv')}, rejects.csv, summary.json${opts.report ? ', report.html' : ''}`);
  lines.push('');
  lines.push(c.bold(`next: ${nextStep(s, outDir, opts)}`));
  return lines.join('\n') + '\n';
}

function nextStep(s: Summary, outDir: string, opts: { report: boolean; plan: boolean }): string {
  if (s.output_rows === s.status.match) return 'nothing to fix: see docs/runbook.md for leaving staging mode';
  const steps: string[] = [];
  if (opts.report) steps.push(`open ${join(outDir, 'report.html')}`);
  if (opts.plan) steps.push('approve rows in the plan below');
  else steps.push(`make the plan: idrecon plan --reconciliation ${join(outDir, 'reconciliation.csv')} --out ${join(outDir, 'plan.csv')} --domains domains.csv`);
  const unplannable = s.status.invalid + s.status.duplicate;
  if (unplannable > 0) steps.push(`${unplannable} invalid or duplicate rows cannot be planned: fix them in the exports, then run this reconcile again`);
  return steps.join('\n  ');
}
