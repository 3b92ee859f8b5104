import { availableParallelism } from 'node:os';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ENCODINGS } from '../io/csv-reader';
import { STATUSES, classify } from '../core/classify';
import { IdreconError } from '../errors';
import { AtomicFile, ByteCsvWriter, CsvWriter } from '../io/csv-writer';
import { Progress } from '../io/progress';
import { colourFor } from '../io/colour';
import { type Command, listOf } from '../options';
import { prepareOutputFolder } from '../io/output';
import { publishSet } from '../io/output-set';
import { PLAN_OPTIONS, PlanArgs, type PlanResult, PlanWriter, newPlanId, planDomains, planSummary, writePlanTo } from '../plan/write';
import { readDomains } from '../plan/inputs';
import { loadBoth, partnersThread } from '../reconcile/load';
import { parseAdvice } from '../reconcile/advice';
import { AttentionSample } from '../reconcile/attention';
import { renderReport } from '../reconcile/html-report';
import { OKTA_RECONCILIATION_COLUMNS, OktaView } from '../reconcile/okta';
import { classifyOptions, readTenantSettings, resolveTenantSettings } from '../reconcile/tenant-settings';
import { REJECT_COLUMNS, RECONCILIATION_COLUMNS, SummaryCounter, inputSummary, rejectFields, summaryTable } from '../reconcile/report';
import { Verdicts } from '../reconcile/verdicts';
import { rowsAgain, writeRows } from '../reconcile/write';
import { PACKAGE_ROOT, VERSION } from '../version';

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
    threads: { type: 'number', describe: 'threads for reading, joining and writing: 1 or 2 (default: 2 when the machine has two cores, for reading from 16 MB of input, for joining and writing from 64 MB)' },
    report: { type: 'boolean', describe: 'write DIR/report.html (default; --no-report leaves it out)' },
    plan: { type: 'boolean', describe: 'also write DIR/plan.csv, as idrecon plan would (takes the plan options below)' },
    ...PLAN_OPTIONS,
  },
  schema: Args,
  async run(args, io) {
    // A plan that cannot be made is found out before any work, not after the reconciliation.
    const domains = args.plan ? await planDomains(args) : args.domains ? await readDomains(args.domains) : undefined;
    const fromFile = args.tenantSettings ? await readTenantSettings(args.tenantSettings) : {};
    const tenant = resolveTenantSettings(
      fromFile,
      { blockSoftMatch: args.blockSoftMatch, blockHardMatchTakeover: args.blockHardMatchTakeover, upnSoftMatch: args.upnSoftMatch },
      args.tenantSettings,
    );
    const classifyWith = classifyOptions(tenant, domains?.initial ?? args.initialDomain?.toLowerCase());
    const ranAt = new Date().toISOString();
    const read = { encoding: args.encoding, delimiter: args.delimiter as ',' | ';' | '\t' | 'auto' };
    const progress = new Progress(io.stderr);
    const onRows = (file: string, rows: number) => progress.tick(file, rows);
    const onpremRequest = {
      kind: 'onprem' as const,
      file: args.onprem,
      read,
      explicit: { upn: args.onpremUpnColumn, objectGuid: args.onpremGuidColumn, consistencyGuid: args.onpremConsistencyGuidColumn },
      opts: { sourceAnchor: args.sourceAnchor, hexOrder: args.hexOrder },
    };
    const cloudRequest = {
      kind: 'cloud' as const,
      file: args.cloud,
      read,
      explicit: { upn: args.cloudUpnColumn, objectId: args.cloudIdColumn, immutableId: args.cloudImmutableIdColumn, syncEnabled: args.cloudSyncColumn },
    };
    // A bad Okta file is found out before the exports are read.
    const okta = args.okta ? await OktaView.load(args.okta) : undefined;
    const threads = args.threads ?? (await defaultThreads(PARALLEL_READ_FROM_BYTES, args.onprem, args.cloud));
    const { onprem, cloud, indexes } = await loadBoth(onpremRequest, cloudRequest, threads, onRows);
    progress.done();

    await prepareOutputFolder(args.out);
    // Okta's columns go at the end, and only with --okta: without it the file is byte for byte what it was.
    const columns = okta ? [...RECONCILIATION_COLUMNS, ...OKTA_RECONCILIATION_COLUMNS] : RECONCILIATION_COLUMNS;
    const reconciliation = new ByteCsvWriter(join(args.out, 'reconciliation.csv'), columns);
    const rejects = new CsvWriter(join(args.out, 'rejects.csv'), REJECT_COLUMNS);
    const summaryFile = new AtomicFile(join(args.out, 'summary.json'));
    const reportFile = args.report ? new AtomicFile(join(args.out, 'report.html')) : undefined;
    const planFile = join(args.out, 'plan.csv');
    const outputs: AtomicFile[] = [reconciliation, rejects, summaryFile, ...(reportFile ? [reportFile] : [])];
    const sample = reportFile ? new AttentionSample(REPORT_ROWS_PER_GROUP) : undefined;
    const counter = new SummaryCounter();
    const failOn = new Set(args.failOn);
    let gated = 0;
    const on = onprem.table;
    const cl = cloud.table;
    // Joining and writing on a second thread pays only on larger files than reading does.
    const workThreads = args.threads ?? (await defaultThreads(PARALLEL_WORK_FROM_BYTES, args.onprem, args.cloud));
    const ahead = workThreads > 1 ? partnersThread(on, cl, indexes) : undefined;
    try {
      // Classify first, keeping each verdict (24 bytes a row), then write the rows on both threads.
      const verdicts = new Verdicts(on.count + cl.count);
      const sampled: number[] = [];
      for (const row of classify(on, cl, classifyWith, { ...indexes, partners: ahead?.partners })) {
        const onReject = row.onprem >= 0 ? rejectFields(onprem.file, on, row.onprem) : undefined;
        const clReject = row.cloud >= 0 ? rejectFields(cloud.file, cl, row.cloud) : undefined;
        counter.add(row, Number(onReject !== undefined) + Number(clReject !== undefined));
        if (failOn.has(row.status)) gated++;
        if (sample?.wants(row.status, row.reason)) sampled.push(verdicts.count);
        verdicts.add(row);
        if (onReject) await rejects.row(onReject);
        if (clReject) await rejects.row(clReject);
      }
      await ahead?.stop();
      await writeRows(reconciliation, verdicts, on, cl, workThreads, okta);
      for (const bytes of rowsAgain(sampled, verdicts, on, cl, okta)) sample!.add(bytes);
      const summary = counter.summary(inputSummary(onprem.file, on.count, onprem.stats), inputSummary(cloud.file, cl.count, cloud.stats), tenant);
      if (okta) summary.okta = okta.summary();
      // A row lost or counted twice is a bug in idrecon, never an input problem: publish nothing.
      if (!summary.balanced) throw new Error(`the output does not account for every input row (${summary.check})`);
      const published = {
        idrecon_version: VERSION,
        ran_at: ranAt,
        settings: { source_anchor: args.sourceAnchor, hex_order: args.hexOrder ?? '', block_soft_match: tenant.blockSoftMatch.value },
        ...summary,
      };
      await summaryFile.write(`${JSON.stringify(published, null, 2)}\n`);
      if (reportFile && sample) {
        const advice = parseAdvice(await readFile(join(PACKAGE_ROOT, 'docs', 'statuses.md'), 'utf8').catch(() => ''));
        await reportFile.write(
          renderReport({ summary: published, columns, rows: sample.rows, attentionTotal: sample.total, perGroup: sample.perGroup, advice }),
        );
      }
      // The plan is made from the finished reconciliation before anything is published: the
      // folder gets the reconciliation and its plan together, or neither.
      let planned: PlanResult | undefined;
      if (args.plan) {
        await reconciliation.finish();
        const plan = new PlanWriter(planFile, args.planId ?? newPlanId(new Date()));
        outputs.push(plan.file);
        planned = await writePlanTo(plan, reconciliation.temp, args, join(args.out, 'reconciliation.csv'));
      }
      // A plan or report of an earlier run never stays beside a reconciliation it was not made from.
      await publishSet(outputs, { command: 'reconcile', manifest: args.out, replaces: [planFile, join(args.out, 'report.html')] });
      io.stdout.write(summaryTable(summary, args.out, { report: args.report, plan: args.plan, colour: colourFor(io.stdout) }));
      if (planned) io.stdout.write(`\n${planSummary(planned, planFile)}`);
    } catch (err) {
      await Promise.all(outputs.map((out) => out.abort()));
      throw err;
    } finally {
      await ahead?.stop();
    }
    if (gated > 0) {
      throw new IdreconError('GATE_FAILED', `${gated} rows have a status named in --fail-on (${args.failOn.join(',')}); see ${join(args.out, 'reconciliation.csv')}`);
    }
    return 0;
  },
};

/** Rows of one status/reason embedded in report.html; the rest are in reconciliation.csv. */
const REPORT_ROWS_PER_GROUP = 500;

/** Below 16 MB of input, starting a worker thread costs more than it saves. */
const PARALLEL_READ_FROM_BYTES = 16 << 20;
/** Below 64 MB (about 230,000 users), the join and write threads cost more to start than they save. */
const PARALLEL_WORK_FROM_BYTES = 64 << 20;

async function defaultThreads(fromBytes: number, ...files: string[]): Promise<number> {
  if (availableParallelism() < 2) return 1;
  const sizes = await Promise.all(files.map((f) => stat(f).then((s) => s.size, () => 0)));
  return sizes.reduce((a, b) => a + b, 0) >= fromBytes ? 2 : 1;
}
