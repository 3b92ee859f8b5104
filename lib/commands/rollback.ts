import { resolve } from 'node:path';
import { z } from 'zod';
import { IdreconError } from '../errors';
import { type Command, declare, helpOf, shapeOf } from '../options';
import { PLAN, newPlanId } from '../plan/write';
import { writeRollbackPlan } from '../plan/rollback';

const USAGE = `Writes a plan that undoes an applied one: for every row that was applied, put back the
ImmutableID the user had before. It is a plan like any other: it must be approved and verified,
then applied with idrecon apply.

Usage:
  idrecon rollback --results results.csv --out rollback-plan.csv [--plan-id ID]`;

const OPTIONS = {
  results: declare('string', z.string({ error: 'expected the results file of an apply run' }), 'results.csv of an apply run'),
  out: declare('string', z.string({ error: 'expected a file name for the rollback plan' }), 'rollback plan CSV to write'),
  planId: declare('string', PLAN.planId.schema, 'id of the rollback plan', PLAN.planId.defaultText),
};

const Args = z.object(shapeOf(OPTIONS));
type Args = z.infer<typeof Args>;

export const rollback: Command<Args> = {
  name: 'rollback',
  summary: 'write a plan that restores what an apply run changed (approval needed again)',
  usage: USAGE,
  options: helpOf(OPTIONS),
  schema: Args,
  async run(args, io) {
    if (resolve(args.out) === resolve(args.results)) {
      throw new IdreconError('USAGE', '--out: expected another file than --results: the results are the record of what was applied', { file: args.out });
    }
    const { planId, rows } = await writeRollbackPlan(args.results, args.out, args.planId ?? newPlanId(new Date()));
    io.stdout.write(`rollback plan ${planId}: ${rows} rows in ${args.out}; approve and verify it, then apply it like any plan\n`);
    return 0;
  },
};
