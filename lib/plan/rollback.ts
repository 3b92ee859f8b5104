/**
 * A rollback plan from an apply run's results: for every row applied, the change that puts back
 * what the user had before, as a plan that needs approving again. docs/apply.md#rollback.
 */
import { IdreconError } from '../errors';
import { PlanWriter } from '../formats/plan';
import { readResults } from '../formats/results';
import { writeWhole } from '../io/csv-writer';

/** Writes the rollback plan for `results` to `out`; how many rows it has. */
export async function writeRollbackPlan(results: string, out: string, planId: string): Promise<{ planId: string; rows: number }> {
  const rows = await readResults(results);
  // The last line for a row is its outcome (a row repaired by --resume has two).
  const last = new Map(rows.map((r) => [r.row, r]));
  const applied = [...last.values()].filter((r) => r.status === 'applied');
  if (rows.length === 0) throw new IdreconError('INPUT_EMPTY', 'the results file has no rows', { file: results });
  const writer = new PlanWriter(out, planId);
  await writeWhole(writer.file, async () => {
    for (const r of applied) {
      const restore = r.before_immutable_id;
      await writer.add({
        upn: r.upn,
        currentUpn: r.after_upn,
        cloudObjectId: r.cloud_object_id,
        status: 'applied',
        reason: `rollback of ${r.plan_id} row ${r.row}`,
        action: restore ? 'set-immutable-id' : 'clear-immutable-id',
        currentImmutableId: r.after_immutable_id,
        targetImmutableId: restore,
        upnFlip: r.staging_upn ? 'yes' : 'no',
        stagingUpn: r.staging_upn,
        why: `Puts back the ImmutableID ${restore ? `'${restore}'` : '(none)'} that ${r.upn} had before plan ${r.plan_id} row ${r.row} was applied.`,
      });
    }
  });
  return { planId, rows: applied.length };
}
