import { z } from 'zod';
import { IdreconError } from '../errors';
import { type Command, type CommandIo, declare, helpOf, shapeOf } from '../options';
import { ENCODINGS, type Encoding } from '../io/csv-reader';
import { type PlanRow, countPlan, readPlan } from '../formats/plan';

const USAGE = `Checks a plan that came back from the change board.

Usage:
  idrecon plan verify plan.csv [--encoding windows-1252]

Counts approved, unapproved, edited and malformed rows (approved review rows apart: they are never
applied); row_hash covers every cell but approve and why, so an edited row is caught and never
applied. Exits 0 only when no approved row was edited and no row is malformed, else 3.
See docs/plan.md.`;

const OPTIONS = {
  encoding: declare('string', z.enum(ENCODINGS).default('auto'), 'auto (BOM, else UTF-8), utf-8, utf-16le, utf-16be or windows-1252 (Excel\'s "CSV")'),
};

const Args = z.object({ file: z.string().optional(), ...shapeOf(OPTIONS) });
type Args = z.infer<typeof Args>;

async function verify(file: string, encoding: Encoding, io: CommandIo): Promise<number> {
  const plan = await readPlan(file, encoding);
  const c = countPlan(plan);
  const where = (r: PlanRow) => (Number.isInteger(r.row) ? `row ${r.row}, ${r.proposal.upn}` : r.proposal.upn);
  const lines = [
    `${plan.planId ? `plan ${plan.planId}` : 'plan'} (${file}): ${c.rows} rows`,
    `  approved and intact  ${c.approved}`,
    ...(c.approvedReview ? [`  approved review rows ${c.approvedReview} (never applied: a person acts on them)`] : []),
    `  not approved         ${c.unapproved}`,
    `  edited               ${c.edited}${c.approvedEdited ? ` (${c.approvedEdited} of them approved)` : ''}`,
    `  malformed            ${c.malformed}`,
    ...plan.rows.filter((r) => r.state !== 'intact').map((r) => `  line ${r.line} (${where(r)}): ${r.state}: ${r.problem}`),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  if (c.approvedEdited || c.malformed) {
    throw new IdreconError(
      'GATE_FAILED',
      `${c.approvedEdited} approved rows were edited and ${c.malformed} rows are malformed: they will not be applied; re-create the plan or fix the rows named above`,
      { file },
    );
  }
  return 0;
}

export const planVerify: Command<Args> = {
  name: 'plan verify',
  positionals: '[file]',
  summary: 'check a plan that came back: approved, edited and malformed rows',
  usage: USAGE,
  options: helpOf(OPTIONS),
  schema: Args,
  async run(args, io) {
    if (!args.file) throw new IdreconError('USAGE', '<file>: expected the plan to verify, got nothing');
    return verify(args.file, args.encoding, io);
  },
};
