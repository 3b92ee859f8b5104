/**
 * What reconcile writes: the reconciliation and rejects rows, and the summary whose counts must
 * add up to the inputs. Pure; docs/reconcile.md explains every column.
 */
import { type ReconRow, STATUSES, type Status } from '../core/classify';
import { settingsLine } from './tenant-settings';
import type { InputSummary, Summary, TenantSettings } from '../formats/summary';
import { type Colour, NO_COLOUR } from '../io/colour';
import { join } from 'node:path';

/** A SummaryCounter's counts as plain data (SummaryCounter.state). */
export interface CounterState {
  outputRows: number;
  joined: number;
  rejects: number;
  /** Rows per verdict: status, reason, outcome, outcome reason, count. */
  kinds: [Status, string, string, string, number][];
}

/** The rows of one verdict: what a row is counted under. */
interface Kind {
  status: Status;
  reason: string;
  outcome: string;
  why: string;
  n: number;
}

/** The map under `key`, made when missing. */
function inner<V>(m: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let v = m.get(key);
  if (!v) m.set(key, (v = new Map()));
  return v;
}

export class SummaryCounter {
  private outputRows = 0;
  private joined = 0;
  private rejects = 0;
  /** Kinds by status, reason, outcome and its reason. */
  private readonly kinds = new Map<string, Map<string, Map<string, Map<string, Kind>>>>();
  /** The last row's kind: most rows have the kind of the row before (a million matches in a row). */
  private last: Kind | undefined;

  /** `rejects`: how many of the row's records could not be used. */
  add(row: ReconRow, rejects: number): void {
    this.outputRows++;
    if (row.onprem >= 0 && row.cloud >= 0) this.joined++;
    this.rejects += rejects;
    this.kind(row.status, row.reason, row.entraConnect, row.entraConnectReason).n++;
  }

  private kind(status: Status, reason: string, outcome: string, why: string): Kind {
    const last = this.last;
    if (last && last.status === status && last.reason === reason && last.outcome === outcome && last.why === why) return last;
    // No closures: this runs for a good part of the rows, and what it allocated grew the heap.
    const byWhy = inner(inner(inner(this.kinds, status), reason), outcome);
    let kind = byWhy.get(why);
    if (!kind) byWhy.set(why, (kind = { status, reason, outcome, why, n: 0 }));
    return (this.last = kind);
  }

  private allKinds(): Kind[] {
    return [...this.kinds.values()].flatMap((r) => [...r.values()].flatMap((o) => [...o.values()].flatMap((w) => [...w.values()])));
  }

  /** Rows that need attention: all but the matches. */
  attention(): number {
    return this.allKinds().reduce((n, k) => n + (k.status === 'match' ? 0 : k.n), 0);
  }

  /** The counts as plain data, to post from another thread. */
  state(): CounterState {
    return {
      outputRows: this.outputRows,
      joined: this.joined,
      rejects: this.rejects,
      kinds: this.allKinds().map((k) => [k.status, k.reason, k.outcome, k.why, k.n]),
    };
  }

  /** Adds the counts of another counter (another thread's rows). */
  merge(s: CounterState): void {
    this.outputRows += s.outputRows;
    this.joined += s.joined;
    this.rejects += s.rejects;
    for (const [status, reason, outcome, why, n] of s.kinds) this.kind(status, reason, outcome, why).n += n;
  }

  summary(onprem: InputSummary, cloud: InputSummary, tenant: TenantSettings): Summary {
    const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
    const balanced = onprem.rows + cloud.rows === this.outputRows + this.joined;
    const status = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
    const statusReason = new Map<string, number>();
    const entraConnect = new Map<string, number>();
    const entraConnectReason = new Map<string, number>();
    const count = (m: Map<string, number>, key: string, n: number) => m.set(key, (m.get(key) ?? 0) + n);
    for (const k of this.allKinds()) {
      status[k.status] += k.n;
      count(statusReason, k.reason ? `${k.status}/${k.reason}` : k.status, k.n);
      count(entraConnect, k.outcome, k.n);
      count(entraConnectReason, k.why ? `${k.outcome}/${k.why}` : k.outcome, k.n);
    }
    return {
      inputs: { onprem, cloud },
      output_rows: this.outputRows,
      joined_pairs: this.joined,
      rejects: this.rejects,
      status,
      status_reason: sorted(statusReason),
      entra_connect: sorted(entraConnect),
      entra_connect_reason: sorted(entraConnectReason),
      tenant_settings: tenant,
      balanced,
      check: `${onprem.rows} on-prem rows + ${cloud.rows} cloud rows ${balanced ? '=' : '!='} ${this.outputRows} output rows + ${this.joined} joined pairs`,
    };
  }
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
