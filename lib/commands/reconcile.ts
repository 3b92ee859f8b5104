import { join } from 'node:path';
import { z } from 'zod';
import { STATUSES } from '../core/statuses';
import { IdreconError } from '../errors';
import { colourFor } from '../io/colour';
import { ENCODINGS } from '../io/csv-reader';
import { type Command, declare, helpOf, listOf, shapeOf } from '../options';
import { PLAN, PLAN_OPTIONS, planSummary } from '../plan/write';
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

const column = (describe: string) => declare('string', z.string().optional(), describe);

const OPTIONS = {
  onprem: declare('string', z.string({ error: 'expected a file name' }), 'on-prem AD export (Get-ADUser | Export-Csv, csvde, ...)'),
  cloud: declare('string', z.string({ error: 'expected a file name' }), 'cloud export (idrecon export cloud, Get-MgUser | Export-Csv)'),
  out: declare('string', z.string({ error: 'expected a folder name' }), 'folder for reconciliation.csv, rejects.csv, summary.json'),
  sourceAnchor: declare(
    'string',
    z.enum(['auto', 'objectGUID', 'mS-DS-ConsistencyGuid']).default('auto'),
    'auto (Entra Connect rule: mS-DS-ConsistencyGuid if set, else objectGUID), objectGUID or mS-DS-ConsistencyGuid',
  ),
  hexOrder: declare('string', z.enum(['display', 'raw']).optional(), 'how to read GUID cells of 32 bare hex digits: display or raw'),
  tenantSettings: declare('string', z.string().optional(), 'the tenant switches: JSON of GET /directory/onPremisesSynchronization (export cloud --settings-out)'),
  blockSoftMatch: declare('boolean', z.boolean().optional(), 'the tenant has blockSoftMatchEnabled: no soft match at all (wins over --tenant-settings)'),
  blockHardMatchTakeover: declare('boolean', z.boolean().optional(), 'the tenant has blockCloudObjectTakeoverThroughHardMatchEnabled: no hard match onto cloud-managed users'),
  upnSoftMatch: declare(
    'boolean',
    z.boolean().optional(),
    'softMatchOnUpnEnabled (on unless the settings say otherwise); --no-upn-soft-match: soft match on the primary SMTP address only',
  ),
  failOn: declare('string', listOf(STATUSES), 'exit 3 if any row has one of these statuses (comma-separated)'),
  encoding: declare('string', z.enum(ENCODINGS).default('auto'), 'auto (BOM, else UTF-8), utf-8, utf-16le, utf-16be or windows-1252'),
  delimiter: declare(
    'string',
    z
      .enum(['auto', ',', ';', 'tab'])
      .default('auto')
      .transform((d) => (d === 'tab' ? '\t' : d)),
    "auto, ',', ';' or tab",
  ),
  onpremUpnColumn: column('on-prem UPN column, if not UserPrincipalName'),
  onpremGuidColumn: column('on-prem objectGUID column, if not ObjectGUID'),
  onpremConsistencyGuidColumn: column('on-prem mS-DS-ConsistencyGuid column'),
  cloudUpnColumn: column('cloud UPN column, if not userPrincipalName'),
  cloudIdColumn: column('cloud object id column, if not id / ObjectId'),
  cloudImmutableIdColumn: column('cloud ImmutableID column, if not onPremisesImmutableId / ImmutableId'),
  cloudSyncColumn: column('cloud onPremisesSyncEnabled column'),
  threads: declare(
    'number',
    z.coerce.number({ error: 'expected a number' }).int().min(1, { error: 'expected 1 or more' }).optional(),
    'threads for reading, classifying and writing: 1 or 2',
    '2 when the machine has two cores and the files together are 64 MB or more',
  ),
  report: declare('boolean', z.boolean().default(true), 'write DIR/report.html; --no-report leaves it out'),
  plan: declare('boolean', z.boolean().default(false), 'also write DIR/plan.csv, as idrecon plan would (takes the plan options below)'),
};

const Args = z.object(shapeOf({ ...PLAN, ...OPTIONS }));
type Args = z.infer<typeof Args>;

export const reconcile: Command<Args> = {
  name: 'reconcile',
  summary: 'classify every user of an on-prem and a cloud export and predict Entra Connect',
  usage: USAGE,
  options: { ...helpOf(OPTIONS), ...PLAN_OPTIONS },
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
