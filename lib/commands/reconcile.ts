import { join } from 'node:path';
import { z } from 'zod';
import { STATUSES } from '../core/statuses';
import { IdreconError } from '../errors';
import { colourFor } from '../io/colour';
import { ENCODINGS } from '../io/csv-reader';
import { type Command, listOf } from '../options';
import { PLAN_OPTIONS, PlanArgs, planSummary } from '../plan/write';
import { summaryTable } from '../reconcile/report';
import { reconcileFiles } from '../reconcile/run';

const USAGE = `Joins an on-prem AD export and a cloud (Entra ID) export on UPN, derives the ImmutableID each
on-prem user should have, classifies every row and predicts what Entra Connect will do.

Usage:
  idrecon reconcile --onprem FILE --cloud FILE --out DIR [options]

Writes DIR/reconciliation.csv (one row per user), DIR/rejects.csv (rows that could not be used,
with file, line, column and why), DIR/summary.json and DIR/report.html (charts, what to do, the
rows that need attention; --no-report leaves it out), and prints the summary. Files appear only
when complete. Exit codes: 0 done, 2 bad usage or unreadable input, 3 --fail-on matched, 1 bug.
See docs/reconcile.md and docs/statuses.md.`;

const Args = PlanArgs.extend({
  plan: z.boolean().default(false),
  report: z.boolean().default(true),
  onprem: z.string({ error: 'expected a file name' }),
  cloud: z.string({ error: 'expected a file name' }),
  out: z.string({ error: 'expected a folder name' }),
  sourceAnchor: z.enum(['auto', 'objectGUID', 'mS-DS-ConsistencyGuid']).default('auto'),
  hexOrder: z.enum(['display', 'raw']).optional(),
  tenantSettings: z.string().optional(),
  blockSoftMatch: z.boolean().optional(),
  blockHardMatchTakeover: z.boolean().optional(),
  upnSoftMatch: z.boolean().optional(),
  failOn: listOf(STATUSES),
  encoding: z.enum(ENCODINGS).default('auto'),
  delimiter: z
    .enum(['auto', ',', ';', 'tab'])
    .default('auto')
    .transform((d) => (d === 'tab' ? '\t' : d)),
  onpremUpnColumn: z.string().optional(),
  onpremGuidColumn: z.string().optional(),
  onpremConsistencyGuidColumn: z.string().optional(),
  cloudUpnColumn: z.string().optional(),
  cloudIdColumn: z.string().optional(),
  cloudImmutableIdColumn: z.string().optional(),
  cloudSyncColumn: z.string().optional(),
  threads: z.coerce.number({ error: 'expected a number' }).int().min(1, { error: 'expected 1 or more' }).optional(),
});
type Args = z.infer<typeof Args>;

const column = (describe: string) => ({ type: 'string' as const, describe });

export const reconcile: Command<Args> = {
  name: 'reconcile',
  summary: 'classify every user of an on-prem and a cloud export and predict Entra Connect',
  usage: USAGE,
  options: {
    onprem: { type: 'string', describe: 'on-prem AD export (Get-ADUser | Export-Csv, csvde, ...)' },
    cloud: { type: 'string', describe: 'cloud export (idrecon export cloud, Get-MgUser | Export-Csv)' },
    out: { type: 'string', describe: 'folder for reconciliation.csv, rejects.csv, summary.json' },
    'source-anchor': { type: 'string', describe: 'auto (Entra Connect rule: mS-DS-ConsistencyGuid if set, else objectGUID), objectGUID or mS-DS-ConsistencyGuid' },
    'hex-order': { type: 'string', describe: 'how to read GUID cells of 32 bare hex digits: display or raw' },
    'tenant-settings': { type: 'string', describe: 'the tenant switches: JSON of GET /directory/onPremisesSynchronization (export cloud --settings-out)' },
    'block-soft-match': { type: 'boolean', describe: 'the tenant has blockSoftMatchEnabled: no soft match at all (wins over --tenant-settings)' },
    'block-hard-match-takeover': { type: 'boolean', describe: 'the tenant has blockCloudObjectTakeoverThroughHardMatchEnabled: no hard match onto cloud-managed users' },
    'upn-soft-match': { type: 'boolean', describe: 'softMatchOnUpnEnabled (on unless the settings say otherwise); --no-upn-soft-match: soft match on the primary SMTP address only' },
    'fail-on': { type: 'string', describe: 'exit 3 if any row has one of these statuses (comma-separated)' },
    encoding: { type: 'string', describe: 'auto (BOM, else UTF-8), utf-8, utf-16le, utf-16be or windows-1252' },
    delimiter: { type: 'string', describe: "auto, ',', ';' or tab" },
    'onprem-upn-column': column('on-prem UPN column, if not UserPrincipalName'),
    'onprem-guid-column': column('on-prem objectGUID column, if not ObjectGUID'),
    'onprem-consistency-guid-column': column('on-prem mS-DS-ConsistencyGuid column'),
    'cloud-upn-column': column('cloud UPN column, if not userPrincipalName'),
    'cloud-id-column': column('cloud object id column, if not id / ObjectId'),
    'cloud-immutable-id-column': column('cloud ImmutableID column, if not onPremisesImmutableId / ImmutableId'),
    'cloud-sync-column': column('cloud onPremisesSyncEnabled column'),
    threads: { type: 'number', describe: 'read the two exports on this many threads: 1 or 2 (default: 2 when the machine has two cores and the files are over 16 MB)' },
    report: { type: 'boolean', describe: 'write DIR/report.html (default; --no-report leaves it out)' },
    plan: { type: 'boolean', describe: 'also write DIR/plan.csv, as idrecon plan would (takes the plan options below)' },
    ...PLAN_OPTIONS,
  },
  schema: Args,
  async run(args, io) {
    const done = await reconcileFiles(args, io.stderr);
    io.stdout.write(summaryTable(done.summary, args.out, { report: args.report, plan: args.plan, colour: colourFor(io.stdout) }));
    if (done.planned) io.stdout.write(`\n${planSummary(done.planned, join(args.out, 'plan.csv'))}`);
    if (done.gated > 0) {
      throw new IdreconError('GATE_FAILED', `${done.gated} rows have a status named in --fail-on (${args.failOn.join(',')}); see ${join(args.out, 'reconciliation.csv')}`);
    }
    return 0;
  },
};
