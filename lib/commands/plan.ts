import { resolve } from 'node:path';
import { z } from 'zod';
import { IdreconError } from '../errors';
import { type Command, declare, helpOf, shapeOf } from '../options';
import { PLAN, PLAN_OPTIONS, planSummary, writePlan } from '../plan/write';

const USAGE = `Turns a reconciliation into a remediation plan for a change board to approve in a spreadsheet,
or checks a plan that came back.

Usage:
  idrecon plan --reconciliation DIR/reconciliation.csv --out plan.csv (--domains domains.csv | --federated-domains LIST [--initial-domain DOMAIN]) [options]
  idrecon plan verify plan.csv [--encoding windows-1252]

One row per proposed change: set-immutable-id, clear-immutable-id (with --clear-instead-of-set),
or review (never applied; 'why' says what a person must decide). Approve a row by writing yes in
its approve column; row_hash covers every cell but approve and why, so an edited row is caught and
never applied. The file is written for Excel (UTF-8 with BOM, CRLF, values a spreadsheet would turn into
formulas, numbers or dates kept as text) and reads back after a spreadsheet saved it.
'plan verify' counts approved, unapproved, edited and malformed rows (approved review rows apart:
they are never applied); it exits 0 only when no approved row was edited and no row is malformed,
else 3 (idrecon plan verify --help). See docs/plan.md.`;

const OPTIONS = {
  reconciliation: declare('string', z.string().optional(), 'reconciliation.csv written by idrecon reconcile'),
  out: declare('string', z.string().optional(), 'plan CSV to write'),
};

const Args = z.object({
  ...shapeOf(PLAN),
  ...shapeOf(OPTIONS),
});
type Args = z.infer<typeof Args>;

export const plan: Command<Args> = {
  name: 'plan',
  summary: 'write a remediation plan to approve in a spreadsheet, or verify one (plan verify FILE)',
  usage: USAGE,
  options: { ...helpOf(OPTIONS), ...PLAN_OPTIONS },
  schema: Args,
  async run(args, io) {
    if (!args.reconciliation) throw new IdreconError('USAGE', '--reconciliation: expected a file name, got nothing');
    if (!args.out) throw new IdreconError('USAGE', '--out: expected a file name, got nothing');
    if (resolve(args.out) === resolve(args.reconciliation)) {
      throw new IdreconError('USAGE', '--out: expected another file than --reconciliation, which the plan is made from', { file: args.out });
    }
    io.stdout.write(planSummary(await writePlan(args.reconciliation, args.out, args), args.out));
    return 0;
  },
};
