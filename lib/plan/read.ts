/**
 * Reads a plan back, from idrecon or from a spreadsheet that opened and saved it (another
 * delimiter or encoding, columns moved or added, empty rows, cells turned back from ="..."),
 * and judges every row: approved or not, intact or edited, or malformed (with the reason).
 */
import { readTable } from '../io/table';
import { unprotectCell } from './excel';
import { rowHash } from './hash';
import { type Action, PLAN_COLUMNS, type PlanColumn, type Proposal, hashedFields } from './rows';

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
}

export interface Plan {
  file: string;
  planId: string;
  rows: PlanRow[];
}

const SPECS = PLAN_COLUMNS.map((c) => ({ field: c, label: c, aliases: [c], required: c !== 'why', option: 'a plan written by idrecon plan' }));

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
  const base = { line, row, planId: cell('plan_id'), proposal, approved: APPROVED.has(approveText) };
  const malformed = (problem: string): PlanRow => ({ ...base, approved: false, state: 'malformed', problem });
  if (approveText !== '' && !base.approved) {
    return malformed(`approve is '${cell('approve')}': expected empty or one of yes, y, true, 1, x, approved`);
  }
  if (!Number.isInteger(row) || row < 1) return malformed(`row is '${cell('row')}': expected the row number idrecon wrote`);
  if (seen.has(row)) return malformed(`row ${row} appears twice: keep one copy`);
  seen.add(row);
  if (base.planId !== planId) return malformed(`the row belongs to plan ${base.planId}, not ${planId}: rows cannot be moved between plans`);
  if (!ACTIONS.includes(proposal.action)) return { ...base, state: 'edited', problem: `action '${proposal.action}' is not one idrecon writes` };
  if (rowHash(planId, hashedFields(planId, row, proposal).slice(1)) !== cell('row_hash')) {
    return { ...base, state: 'edited', problem: 'its cells no longer match its row_hash: it was changed after the plan was written' };
  }
  return { ...base, state: 'intact', problem: '' };
}

export async function readPlan(file: string): Promise<Plan> {
  let planId: string | undefined;
  const rows: PlanRow[] = [];
  const seen = new Set<number>();
  for await (const row of readTable(file, { encoding: 'auto', delimiter: 'auto' }, SPECS)) {
    const cell = (c: PlanColumn) => unprotectCell(row.cell(c).trim());
    planId ??= cell('plan_id');
    rows.push(judge(row.line, cell, planId, seen));
  }
  return { file, planId: planId ?? '', rows };
}

export interface PlanCounts {
  rows: number;
  approved: number;
  unapproved: number;
  edited: number;
  malformed: number;
  /** Approved rows that are edited: they would be refused. */
  approvedEdited: number;
}

export function countPlan(plan: Plan): PlanCounts {
  const counts: PlanCounts = { rows: plan.rows.length, approved: 0, unapproved: 0, edited: 0, malformed: 0, approvedEdited: 0 };
  for (const r of plan.rows) {
    if (r.state === 'malformed') counts.malformed++;
    else if (r.state === 'edited') {
      counts.edited++;
      if (r.approved) counts.approvedEdited++;
    } else if (r.approved) counts.approved++;
    else counts.unapproved++;
  }
  return counts;
}
