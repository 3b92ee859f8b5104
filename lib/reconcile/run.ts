/**
 * The reconcile pipeline: read both exports (and the optional Okta file, tenant switches and
 * domains, each once), classify every row, write reconciliation.csv, rejects.csv, summary.json,
 * report.html and, with --plan, plan.csv, and publish them as one set. lib/commands/reconcile.ts
 * parses the options and prints; docs/reconcile.md.
 */
import { availableParallelism } from 'node:os';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClassifyOptions } from '../core/classify';
import type { SourceAnchor } from '../core/records';
import type { Status } from '../core/statuses';
import { OKTA_RECONCILIATION_COLUMNS, RECONCILIATION_COLUMNS } from '../formats/reconciliation';
import { REJECT_COLUMNS } from '../formats/rejects';
import type { Encoding } from '../io/csv-reader';
import { AtomicFile, ByteCsvWriter, CsvWriter, orNothing } from '../io/csv-writer';
import { prepareOutputFolder } from '../io/output';
import { publishSet } from '../io/output-set';
import { manifestIndex } from '../formats/manifest';
import { Progress } from '../io/progress';
import { readDomains } from '../formats/domains';
import { type PlanArgs, type PlanResult, newPlanId, planDomains, writePlanTo } from '../plan/write';
import { PlanWriter } from '../formats/plan';
import { PACKAGE_ROOT } from '../version';
import { parseAdvice } from './advice';
import { renderReport } from './html-report';
import { type LoadedBoth, hasAddressColumns, loadBoth } from './load';
import { OktaView } from './okta';
import { type Summary, type TenantSettings, inputSummary, summaryFile, writeSummary } from '../formats/summary';
import { classifyOptions, resolveTenantSettings } from './tenant-settings';
import { writeAllRows } from './rows';
import { dropSideThread } from './side-thread';
import { readTenantSettings } from '../formats/tenant-settings';

/** What reconcile is asked to do: the checked options of lib/commands/reconcile.ts. */
export interface ReconcileOptions extends PlanArgs {
  onprem: string;
  cloud: string;
  out: string;
  plan: boolean;
  report: boolean;
  sourceAnchor: SourceAnchor;
  hexOrder?: 'display' | 'raw';
  tenantSettings?: string;
  blockSoftMatch?: boolean;
  blockHardMatchTakeover?: boolean;
  upnSoftMatch?: boolean;
  failOn: readonly Status[];
  encoding: Encoding;
  delimiter: string;
  onpremUpnColumn?: string;
  onpremGuidColumn?: string;
  onpremConsistencyGuidColumn?: string;
  cloudUpnColumn?: string;
  cloudIdColumn?: string;
  cloudImmutableIdColumn?: string;
  cloudSyncColumn?: string;
  threads?: number;
}

export interface Reconciled {
  summary: Summary;
  /** With --plan. */
  planned: PlanResult | undefined;
  /** Rows whose status is named in --fail-on. */
  gated: number;
}

/** Runs the pipeline and publishes its files; progress goes to `stderr`. */
export async function reconcileFiles(args: ReconcileOptions, stderr: NodeJS.WriteStream): Promise<Reconciled> {
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
  const progress = new Progress(stderr);
  const onRows = (file: string, rows: number) => progress.tick(file, rows);
  // A bad Okta file is found out before the exports are read.
  const okta = args.okta ? await OktaView.load(args.okta) : undefined;
  const keepAddresses = (await hasAddressColumns(args.onprem, read)) && (await hasAddressColumns(args.cloud, read));
  const onpremRequest = {
    kind: 'onprem' as const,
    keepAddresses,
    file: args.onprem,
    read,
    explicit: { upn: args.onpremUpnColumn, objectGuid: args.onpremGuidColumn, consistencyGuid: args.onpremConsistencyGuidColumn },
    opts: { sourceAnchor: args.sourceAnchor, hexOrder: args.hexOrder },
  };
  const cloudRequest = {
    kind: 'cloud' as const,
    keepAddresses,
    file: args.cloud,
    read,
    explicit: { upn: args.cloudUpnColumn, objectId: args.cloudIdColumn, immutableId: args.cloudImmutableIdColumn, syncEnabled: args.cloudSyncColumn },
  };
  const threads = args.threads ?? (await defaultThreads(args.onprem, args.cloud));
  if (threads < 2) await dropSideThread();
  const loaded = await loadBoth(onpremRequest, cloudRequest, threads, onRows);
  progress.done();
  try {
    return await writeOutputs(args, loaded, { tenant, classifyWith, domains, okta, ranAt });
  } finally {
    await loaded.thread?.terminate();
  }
}

/** What reconcileFiles worked out before reading the exports. */
interface Settled {
  tenant: TenantSettings;
  classifyWith: ClassifyOptions;
  domains: Awaited<ReturnType<typeof readDomains>> | undefined;
  okta: OktaView | undefined;
  ranAt: string;
}

/** Classifies and writes every row, then the summary, the report and (with --plan) the plan, published as one set. */
async function writeOutputs(args: ReconcileOptions, { onprem, cloud, indexes, thread }: LoadedBoth, { tenant, classifyWith, domains, okta, ranAt }: Settled): Promise<Reconciled> {
  await prepareOutputFolder(args.out);
  // Okta's columns go at the end, and only with --okta: without it the file is byte for byte what it was.
  const columns = okta ? [...RECONCILIATION_COLUMNS, ...OKTA_RECONCILIATION_COLUMNS] : RECONCILIATION_COLUMNS;
  const reconciliation = new ByteCsvWriter(join(args.out, 'reconciliation.csv'), columns);
  const rejects = new CsvWriter(join(args.out, 'rejects.csv'), REJECT_COLUMNS);
  const summaryOut = new AtomicFile(join(args.out, 'summary.json'));
  const reportFile = args.report ? new AtomicFile(join(args.out, 'report.html')) : undefined;
  const planFile = join(args.out, 'plan.csv');
  const outputs: AtomicFile[] = [reconciliation, rejects, summaryOut, ...(reportFile ? [reportFile] : [])];
  const on = onprem.table;
  const cl = cloud.table;
  return orNothing(outputs, async () => {
    const settings = { onpremFile: onprem.file, cloudFile: cloud.file, failOn: args.failOn, perGroup: reportFile ? REPORT_ROWS_PER_GROUP : 0 };
    const { counter, gated, sample } = await writeAllRows({ reconciliation, rejects }, { on, cl, indexes }, classifyWith, settings, thread, okta);
    const summary = counter.summary(inputSummary(onprem.file, on.count, onprem.stats), inputSummary(cloud.file, cl.count, cloud.stats), tenant);
    if (okta) summary.okta = okta.summary();
    // A row lost or counted twice is a bug in idrecon, never an input problem: publish nothing.
    if (!summary.balanced) throw new Error(`the output does not account for every input row (${summary.check})`);
    const published = summaryFile(summary, { ranAt, sourceAnchor: args.sourceAnchor, hexOrder: args.hexOrder });
    await writeSummary(summaryOut, published);
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
      planned = await writePlanTo(plan, reconciliation.temp, args, { domains: domains!, okta: okta?.appUsers() }, join(args.out, 'reconciliation.csv'));
    }
    // A plan or report of an earlier run never stays beside a reconciliation it was not made from.
    await publishSet(outputs, { index: manifestIndex(args.out, 'reconcile'), replaces: [planFile, join(args.out, 'report.html')] });
    return { summary, planned, gated };
  });
}

/** Rows of one status/reason embedded in report.html; the rest are in reconciliation.csv. */
const REPORT_ROWS_PER_GROUP = 500;

/**
 * Below 64 MB of input (about 230,000 users), a second thread costs more than it saves: its own
 * start-up, and code that V8 optimises a second time, for it. Measured on 2 cores: 100,000 users
 * 0.55-0.60 s on one thread, 0.61-0.65 s reading on two; 200,000 even; 400,000 1.05-1.11 s on two,
 * 1.15-1.17 s on one.
 */
const PARALLEL_FROM_BYTES = 64 << 20;

async function defaultThreads(...files: string[]): Promise<number> {
  if (availableParallelism() < 2) return 1;
  const sizes = await Promise.all(files.map((f) => stat(f).then((s) => s.size, () => 0)));
  return sizes.reduce((a, b) => a + b, 0) >= PARALLEL_FROM_BYTES ? 2 : 1;
}
