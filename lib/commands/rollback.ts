import { resolve } from 'node:path';
import { z } from 'zod';
import { readResults } from '../formats/results';
import { IdreconError } from '../errors';
import type { Command } from '../options';
import { newPlanId } from '../plan/write';
import { PlanWriter } from '../formats/plan';

const USAGE = `Writes a plan that undoes an applied one: for every row that was applied, put back the
ImmutableID the user had before. It is a plan like any other: it must be approved and verified,
then applied with idrecon apply.

Usage:
  idrecon rollback --results results.csv --out rollback-plan.csv [--plan-id ID]`;

const Args = z.object({
  results: z.string({ error: 'expected the results file of an apply run' }),
  out: z.string({ error: 'expected a file name for the rollback plan' }),
  planId: z.string().regex(/^[\w.-]+$/, { error: 'expected letters, digits, dots, dashes or underscores' }).optional(),
});
type Args = z.infer<typeof Args>;

export const rollback: Command<Args> = {
  name: 'rollback',
  summary: 'write a plan that restores what an apply run changed (approval needed again)',
  usage: USAGE,
  options: {
    results: { type: 'string', describe: 'results.csv of an apply run' },
    out: { type: 'string', describe: 'rollback plan CSV to write' },
    'plan-id': { type: 'string', describe: 'id of the rollback plan (default: plan-DATE-TIME-random)' },
  },
  schema: Args,
  async run(args, io) {
    if (resolve(args.out) === resolve(args.results)) {
      throw new IdreconError('USAGE', '--out: expected another file than --results: the results are the record of what was applied', { file: args.out });
    }
    const results = await readResults(args.results);
    // The last line for a row is its outcome (a row repaired by --resume has two).
    const last = new Map(results.map((r) => [r.row, r]));
    const applied = [...last.values()].filter((r) => r.status === 'applied');
    if (results.length === 0) throw new IdreconError('INPUT_EMPTY', 'the results file has no rows', { file: args.results });
    const planId = args.planId ?? newPlanId(new Date());
    const writer = new PlanWriter(args.out, planId);
    try {
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
      await writer.commit();
    } catch (err) {
      await writer.abort();
      throw err;
    }
    io.stdout.write(`rollback plan ${planId}: ${applied.length} rows in ${args.out}; approve and verify it, then apply it like any plan\n`);
    return 0;
  },
};
