import { z } from 'zod';
import { ENCODINGS } from '../io/csv-reader';
import { IdreconError } from '../errors';
import { realClock } from '../graph/clock';
import { SIGN_IN, SIGN_IN_OPTIONS, credentialsFrom } from '../graph/signin-options';
import { type StopSignal, onInterrupt } from '../io/interrupt';
import { timeLeft } from '../io/progress';
import { type Command, declare, helpOf, shapeOf } from '../options';

const USAGE = `Executes the approved rows of a plan through Microsoft Graph. A dry run unless --execute.

Usage:
  idrecon apply --plan plan.csv --results results.csv --tenant-id ID --client-id ID [--execute] [options]

Only rows approved in the plan and unchanged since it was written are considered; review rows are
never applied. Before each write the user is read again: if its UPN or ImmutableID is no longer
what the plan says, the row is skipped (skipped-drift). Users in a federated domain are moved to
their staging UPN, changed, and moved back; if a step fails the UPN is put back. Every row gets a
line in results.csv as it finishes, and each step is journalled in results.csv.journal, so after
a crash or Ctrl-C 'apply --execute --resume' finishes what is unfinished, tries failed and rolled-back rows again
and repairs any user left mid-way. More than --max-changes users to change stops the run before
the first write.
Exit codes: 0 every approved row applied or already done; 3 rows failed, were rolled back or
drifted, approved rows were edited or malformed in the plan, or --max-changes was exceeded;
2 bad usage or input; 4 sign-in or Graph failed; 130 (143 for SIGTERM) stopped before the end:
resume with --execute --resume. See docs/apply.md.`;

const budget = z
  .string()
  .regex(/^[1-9]\d*\/(\d*[1-9]\d*(\.\d+)?|\d+\.\d*[1-9]\d*)$/, { error: 'expected WRITES/SECONDS with both above zero, e.g. 3000/150' })
  .transform((s) => {
    const [limit, seconds] = s.split('/').map(Number);
    return { limit, windowMs: seconds * 1000 };
  });

const number = () => z.coerce.number({ error: 'expected a number' }).int();

const OPTIONS = {
  plan: declare('string', z.string({ error: 'expected the approved plan file' }), 'the approved plan (idrecon plan; check it with idrecon plan verify)'),
  results: declare('string', z.string({ error: 'expected a file name for the results' }), 'results CSV to write, one row per plan row; its journal goes beside it'),
  execute: declare('boolean', z.boolean().default(false), 'write to the tenant (without it: a dry run that reads but never writes)'),
  resume: declare('boolean', z.boolean().default(false), 'with --execute: continue a run from its results and journal, trying failed and rolled-back rows again'),
  maxChanges: declare('number', number().min(0, { error: 'expected 0 or more' }).default(500), 'stop before the first write if more users would change'),
  concurrency: declare('number', number().min(1, { error: 'expected 1 to 64' }).max(64, { error: 'expected 1 to 64' }).default(8), 'rows in flight at once'),
  writeBudget: declare('string', budget.default({ limit: 3000, windowMs: 150_000 }), "the tenant's write budget as WRITES/SECONDS", "Graph's 3000/150"),
  maxRetries: declare('number', number().min(0, { error: 'expected 0 or more' }).default(10), 'retries of one request before its row fails'),
  encoding: declare('string', z.enum(ENCODINGS).default('auto'), 'of the plan: auto (BOM, else UTF-8), utf-8, utf-16le, utf-16be or windows-1252 (Excel\'s "CSV")'),
};

const Args = z.object(shapeOf({ ...SIGN_IN, ...OPTIONS }));
type Args = z.infer<typeof Args>;

function progressLine(done: number, total: number, startedMs: number, throttledMs: number): string {
  const elapsedMs = Date.now() - startedMs;
  const rate = done / Math.max(elapsedMs / 1000, 0.001);
  return `\rapply: ${done}/${total} rows, ${rate.toFixed(1)}/s, throttled ${(throttledMs / 1000).toFixed(0)} s, ${timeLeft(done, total, elapsedMs)}\x1b[K`;
}

export const apply: Command<Args> = {
  name: 'apply',
  summary: 'execute the approved rows of a plan through Graph (dry run unless --execute)',
  usage: USAGE,
  options: { ...helpOf(OPTIONS), ...SIGN_IN_OPTIONS },
  schema: Args,
  async run(args, io) {
    if (args.resume && !args.execute) {
      throw new IdreconError('USAGE', '--resume: expected --execute as well: only an executed run can be resumed (a dry run is simply run again)');
    }
    let stop: StopSignal | undefined;
    const stopListening = onInterrupt((signal) => (stop = signal));
    const started = Date.now();
    const tty = io.stderr.isTTY;
    let last = 0;
    try {
      // The Graph client is loaded when a command uses it, not at every start-up.
      const { applyPlan } = await import('../apply/run');
      const s = await applyPlan({
        planFile: args.plan,
        planEncoding: args.encoding,
        resultsFile: args.results,
        execute: args.execute,
        resume: args.resume,
        maxChanges: args.maxChanges,
        concurrency: args.concurrency,
        credentials: credentialsFrom(args),
        graphUrl: args.graphUrl,
        writeBudget: args.writeBudget,
        retry: { maxRetries: args.maxRetries },
        clock: realClock,
        stopRequested: () => stop !== undefined,
        // As export does: a wait is said, so a throttled run does not look like a hang. A 429 pauses
        // every request in flight; only the one that lengthened the pause is told.
        onRetry: (e) => {
          if (e.reason === '429' && e.pauseAddedMs === 0) return;
          if (tty) io.stderr.write('\r\x1b[K');
          const what = /^\d+$/.test(e.reason) ? `answered ${e.reason}${e.reason === '429' ? ' (throttled)' : ''}` : `failed: ${e.reason}`;
          io.stderr.write(`idrecon: ${new URL(e.url).pathname} ${what}; retry ${e.retry} of ${args.maxRetries} in ${(e.waitMs / 1000).toFixed(1)} s\n`);
        },
        onProgress: (p) => {
          if (!tty || Date.now() - last < 200) return;
          last = Date.now();
          io.stderr.write(progressLine(p.done, p.total, started, p.throttledMs));
        },
      });
      if (tty) io.stderr.write('\r\x1b[K');
      if (s.approved === 0) io.stderr.write(`idrecon: warning: ${args.plan} has no approved rows, so there is nothing to apply: write yes in the approve column of the rows to change, then run idrecon plan verify\n`);
      const counts = Object.entries(s.counts).filter(([, n]) => n > 0);
      io.stdout.write(
        `${args.execute ? 'apply' : 'dry run'} of plan ${s.planId}: ${counts.map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing to do'}` +
          ` (${s.writes} writes in ${(s.elapsedMs / 1000).toFixed(1)} s); results in ${args.results}\n`,
      );
      if (s.notStarted > 0) {
        const next = args.execute ? 'run the same command with --resume to finish' : 'run the dry run again to see them all';
        io.stderr.write(`idrecon: stopped with ${s.notStarted} rows not started; ${next}\n`);
        return stop === 'SIGTERM' ? 143 : 130;
      }
      if (s.onStaging.length > 0) {
        const names = s.onStaging.slice(0, 10).join(', ') + (s.onStaging.length > 10 ? ` and ${s.onStaging.length - 10} more` : '');
        const resume = `idrecon apply --plan ${args.plan} --results ${args.results} --execute --resume`;
        throw new IdreconError('GATE_FAILED', `${s.onStaging.length} users are (or may be) on their staging UPN and cannot sign in: ${names}; repair them with: ${resume} (and the same sign-in options)`);
      }
      const attention = s.counts.failed + s.counts['rolled-back'] + s.counts['skipped-drift'] + s.badApprovals;
      if (attention > 0) {
        throw new IdreconError(
          'GATE_FAILED',
          `${attention} rows need attention (failed, rolled back, drifted, or approved but edited or malformed in the plan); see their message in ${args.results}`,
        );
      }
      if (!args.execute) io.stdout.write('nothing was written: this was a dry run; add --execute to apply\n');
      return 0;
    } finally {
      stopListening();
    }
  },
};
