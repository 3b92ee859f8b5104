/** plan.csv reads back to the proposals it was written from, every row intact and unapproved. */
import { join } from 'node:path';
import { PlanWriter, type Proposal, readPlan } from '../../lib/formats/plan';
import { tempDir } from '../helpers';

const PROPOSALS: Proposal[] = [
  {
    upn: 'judy.jones@contoso.com',
    currentUpn: 'judy.jones@contoso.com',
    cloudObjectId: '11111111-1111-4111-8111-111111111111',
    status: 'mismatch',
    reason: 'byte-order',
    action: 'set-immutable-id',
    currentImmutableId: '+9kaGpXmXFWlO8l/IOLgyw==',
    targetImmutableId: '-1qkGpXmXFWlO8l/IOLgyw==',
    upnFlip: 'yes',
    stagingUpn: 'judy.jones@contoso.onmicrosoft.com',
    why: 'Because, "quoted"',
  },
  { upn: '007', currentUpn: '', cloudObjectId: '', status: 'duplicate', reason: 'duplicate-upn-onprem', action: 'review', currentImmutableId: '', targetImmutableId: '', upnFlip: '', stagingUpn: '', why: '2026-01-02' },
];

test('proposals round-trip through the plan file', async () => {
  const file = join(tempDir(), 'plan.csv');
  const w = new PlanWriter(file, 'CHG-1');
  for (const p of PROPOSALS) await w.add(p);
  await w.commit();
  const plan = await readPlan(file);
  expect(plan.planId).toBe('CHG-1');
  expect(plan.rows.map((r) => ({ row: r.row, proposal: r.proposal, approved: r.approved, state: r.state }))).toEqual(
    PROPOSALS.map((proposal, i) => ({ row: i + 1, proposal, approved: false, state: 'intact' })),
  );
});
