/**
 * plan.csv: the proposed changes a change board approves in a spreadsheet. Declared here once:
 * its columns, the row hash, the writer (cells a spreadsheet would turn into formulas, numbers or
 * dates kept as text) and the reader. docs/plan.md.
 *
 * Reads a plan back, from idrecon or from a spreadsheet that opened and saved it (another
 * delimiter or encoding, columns moved or added, empty rows, cells turned back from ="...": lib/io/table.ts undoes the guard),
 * and judges every row: approved or not, intact or edited, or malformed (with the reason).
 */
import { createHash } from 'node:crypto';
import type { Encoding } from '../io/csv-reader';
import { unguardCell } from '../core/cell-guard';
import { readTable } from '../io/table';
import { CsvWriter } from '../io/csv-writer';

export type Action = 'set-immutable-id' | 'clear-immutable-id' | 'review';

/** A plan row before it is numbered and hashed. */
export interface Proposal {
  upn: string;
  currentUpn: string;
  cloudObjectId: string;
  status: string;
  reason: string;
  action: Action;
  currentImmutableId: string;
  targetImmutableId: string;
  upnFlip: '' | 'yes' | 'no';
  stagingUpn: string;
  why: string;
}

export const PLAN_COLUMNS = [
  'plan_id',
  'row',
  'upn',
  'current_upn',
  'cloud_object_id',
  'status',
  'reason',
  'action',
  'current_immutable_id',
  'target_immutable_id',
  'upn_flip',
  'staging_upn',
  'why',
  'approve',
  'row_hash',
] as const;

export type PlanColumn = (typeof PLAN_COLUMNS)[number];

/** The fields row_hash covers: all but `why` (wording may be improved) and `approve`. */
export function hashedFields(planId: string, row: number, p: Omit<Proposal, 'why'>): string[] {
  return [planId, String(row), p.upn, p.currentUpn, p.cloudObjectId, p.status, p.reason, p.action, p.currentImmutableId, p.targetImmutableId, p.upnFlip, p.stagingUpn];
}

export function planRowFields(planId: string, row: number, p: Proposal): Record<PlanColumn, string> {
  const hashed = hashedFields(planId, row, p);
  return {
    plan_id: planId,
    row: String(row),
    upn: p.upn,
    current_upn: p.currentUpn,
    cloud_object_id: p.cloudObjectId,
    status: p.status,
    reason: p.reason,
    action: p.action,
    current_immutable_id: p.currentImmutableId,
    target_immutable_id: p.targetImmutableId,
    upn_flip: p.upnFlip,
    staging_upn: p.stagingUpn,
    why: p.why,
    approve: '',
    row_hash: rowHash(planId, hashed.slice(1)),
  };
}

/**
 * A checksum over the plan id and a row's fields, to catch a cell edited by hand or by a
 * spreadsheet. It detects edits; it is not a signature (anyone with idrecon can recompute it).
 * The `h` prefix keeps spreadsheets from reading the hex digits as a number.
 */
export function rowHash(planId: string, fields: readonly string[]): string {
  return `h${createHash('sha256').update(JSON.stringify([planId, ...fields])).digest('hex').slice(0, 20)}`;
}

/** A plan file being written: rows are numbered in order, hashed and protected for spreadsheets. */
export class PlanWriter {
  readonly file: CsvWriter;
  private rows = 0;

  constructor(out: string, readonly planId: string) {
    this.file = new CsvWriter(out, PLAN_COLUMNS, { keepText: true });
  }

  async add(p: Proposal): Promise<void> {
    const fields = planRowFields(this.planId, ++this.rows, p);
    await this.file.row(PLAN_COLUMNS.map((c) => (c === 'row' ? Number(fields[c]) : fields[c])));
  }

  commit(): Promise<void> {
    return this.file.commit();
  }
}

const APPROVED = new Set(['yes', 'y', 'true', '1', 'x', 'approved']);
const ACTIONS: readonly Action[] = ['set-immutable-id', 'clear-immutable-id', 'review'];

export type RowState = 'intact' | 'edited' | 'malformed';

export interface PlanRow {
  /** Line of the plan file. */
  line: number;
  row: number;
  planId: string;
  proposal: Proposal;
  approved: boolean;
  state: RowState;
  /** Why the row is edited or malformed. */
  problem: string;
  /** The hash of the row as it is in the file (its row_hash when intact). */
  hash: string;
}

export interface Plan {
  file: string;
  planId: string;
  rows: PlanRow[];
}

const SPECS = PLAN_COLUMNS.map((c) => ({ field: c, label: c, aliases: [c], required: c !== 'why', expected: 'a plan written by idrecon plan' }));

function judge(line: number, cell: (c: PlanColumn) => string, planId: string, seen: Set<number>): PlanRow {
  const proposal: Proposal = {
    upn: cell('upn'),
    currentUpn: cell('current_upn'),
    cloudObjectId: cell('cloud_object_id'),
    status: cell('status'),
    reason: cell('reason'),
    action: cell('action') as Action,
    currentImmutableId: cell('current_immutable_id'),
    targetImmutableId: cell('target_immutable_id'),
    upnFlip: cell('upn_flip') as Proposal['upnFlip'],
    stagingUpn: cell('staging_upn'),
    why: cell('why'),
  };
  const row = Number(cell('row'));
  const approveText = cell('approve').toLowerCase();
  const base = { line, row, planId: cell('plan_id'), proposal, approved: APPROVED.has(approveText), hash: rowHash(planId, hashedFields(planId, row, proposal).slice(1)) };
  const malformed = (problem: string): PlanRow => ({ ...base, approved: false, state: 'malformed', problem });
  if (approveText !== '' && !base.approved) {
    return malformed(`approve is '${cell('approve')}': expected empty or one of yes, y, true, 1, x, approved`);
  }
  if (!Number.isInteger(row) || row < 1) return malformed(`row is '${cell('row')}': expected the row number idrecon wrote`);
  if (base.planId !== planId) return malformed(`the row belongs to plan ${base.planId}, not ${planId}: rows cannot be moved between plans`);
  if (seen.has(row)) return malformed(`row ${row} appears twice: keep one copy`);
  seen.add(row);
  if (!ACTIONS.includes(proposal.action)) return { ...base, state: 'edited', problem: `action '${proposal.action}' is not one idrecon writes` };
  if (base.hash !== cell('row_hash')) {
    return { ...base, state: 'edited', problem: 'its cells no longer match its row_hash: it was changed after the plan was written' };
  }
  return { ...base, state: 'intact', problem: '' };
}

/** `encoding` for a plan a spreadsheet saved in a Windows code page. */
export async function readPlan(file: string, encoding: Encoding = 'auto'): Promise<Plan> {
  const raw: { line: number; cell: (c: PlanColumn) => string }[] = [];
  for await (const row of readTable(file, { encoding, delimiter: 'auto' }, SPECS)) {
    raw.push({ line: row.line, cell: (c: PlanColumn) => unguardCell(row.raw(c).trim()) });
  }
  // The plan is the one most rows belong to: a foreign row, even the first, cannot claim it.
  const votes = new Map<string, number>();
  for (const r of raw) votes.set(r.cell('plan_id'), (votes.get(r.cell('plan_id')) ?? 0) + 1);
  const planId = [...votes].reduce<[string, number]>((best, v) => (v[1] > best[1] ? v : best), ['', 0])[0];
  const seen = new Set<number>();
  return { file, planId, rows: raw.map((r) => judge(r.line, r.cell, planId, seen)) };
}

/** The plan's content: every row's number and hash, in order (approvals apart). */
export function planHash(plan: Plan): string {
  return createHash('sha256').update(JSON.stringify([plan.planId, ...plan.rows.map((r) => [r.row, r.hash])])).digest('hex');
}

export interface PlanCounts {
  rows: number;
  /** Approved, intact rows that would be written. */
  approved: number;
  /** Approved review rows: counted apart, as apply never writes them. */
  approvedReview: number;
  unapproved: number;
  edited: number;
  malformed: number;
  /** Approved rows that are edited: they would be refused. */
  approvedEdited: number;
}

export function countPlan(plan: Plan): PlanCounts {
  const counts: PlanCounts = { rows: plan.rows.length, approved: 0, approvedReview: 0, unapproved: 0, edited: 0, malformed: 0, approvedEdited: 0 };
  for (const r of plan.rows) {
    if (r.state === 'malformed') counts.malformed++;
    else if (r.state === 'edited') {
      counts.edited++;
      if (r.approved) counts.approvedEdited++;
    } else if (r.approved && r.proposal.action === 'review') counts.approvedReview++;
    else if (r.approved) counts.approved++;
    else counts.unapproved++;
  }
  return counts;
}
