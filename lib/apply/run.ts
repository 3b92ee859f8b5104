/**
 * apply: executes the approved, intact rows of a plan through Graph. Every write is preceded by a
 * fresh read of the user and followed by a results row; each step is journalled first, so an
 * interrupted run can be resumed and a user is never left on a staging UPN without a record.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Client } from '@microsoft/microsoft-graph-client';
import pLimit from 'p-limit';
import { IdreconError } from '../errors';
import type { Encoding } from '../io/csv-reader';
import { type Credentials, type TokenSource, msalTokens } from '../graph/auth';
import type { Clock } from '../graph/clock';
import { createGraphClient } from '../graph/client';
import type { Limit } from '../graph/limits';
import { DEFAULT_RETRY, type RetryEvent, type RetryPolicy, Tries } from '../graph/retry';
import { prepareOutputFile } from '../io/output';
import { type Plan, type PlanRow, planHash, readPlan } from '../formats/plan';
import { type Decision, decide, targetOf } from './decide';
import { Journal, type JournalContents, journalPathFor, readJournal } from './journal';
import { RESULT_STATUSES, ResultsLog, type ResultRow, type ResultStatus, emptyResult, readResults } from '../formats/results';
import { type Feedback, type Final, type Steps, moveBackOnly, rowSteps } from './steps';
import { BATCH_SIZE, type LiveUser, type GraphAnswer, type ReadResult, patchUser, readUsers } from './users';

export interface ApplyOptions {
  planFile: string;
  /** For a plan a spreadsheet saved in a Windows code page. */
  planEncoding?: Encoding;
  resultsFile: string;
  execute: boolean;
  resume: boolean;
  maxChanges: number;
  concurrency: number;
  credentials: Credentials;
  graphUrl: string;
  writeBudget?: Limit;
  retry?: Partial<RetryPolicy>;
  clock: Clock;
  /** Polled before each row starts: true after Ctrl-C. */
  stopRequested: () => boolean;
  onProgress?: (p: ApplyProgress) => void;
  /** Each retry of a Graph request (throttling, 503, 504, dropped connection), as it happens. */
  onRetry?: (e: RetryEvent) => void;
}

export interface ApplyProgress {
  done: number;
  total: number;
  throttledMs: number;
}

export interface ApplySummary {
  planId: string;
  counts: Record<ResultStatus, number>;
  /** skipped-edited rows plan verify would fail on: approved but edited since, or malformed. */
  badApprovals: number;
  /** Approved rows left for apply --resume (interrupted). */
  notStarted: number;
  writes: number;
  elapsedMs: number;
  /** Rows the plan would change (approved, intact, not review). */
  approved: number;
  /** UPNs of users left (or perhaps left) on their staging UPN: apply --execute --resume repairs them. */
  onStaging: string[];
}

function skipOf(row: PlanRow): { status: ResultStatus; message: string } | undefined {
  if (row.state !== 'intact') return { status: 'skipped-edited', message: row.problem };
  if (!row.approved) return { status: 'skipped-unapproved', message: 'not approved in the plan' };
  if (row.proposal.action === 'review') return { status: 'skipped-review', message: 'review rows are never applied' };
  return undefined;
}

function baseResult(planId: string, row: PlanRow): ResultRow {
  const p = row.proposal;
  return {
    ...emptyResult(),
    plan_id: planId,
    row: String(row.row),
    upn: p.upn,
    cloud_object_id: p.cloudObjectId,
    action: p.action,
    before_upn: p.currentUpn,
    before_immutable_id: p.currentImmutableId,
    staging_upn: p.stagingUpn,
  };
}

/**
 * Which rows of an earlier run are settled, and which were begun but not finished. Settled rows
 * are not looked at again; every other approved row is read afresh, so a user an earlier run left
 * on its staging UPN is found whatever that run recorded for it.
 */
async function earlierRun(o: ApplyOptions, plan: Plan): Promise<{ settled: Set<number>; begun: Set<number> }> {
  const journalFile = journalPathFor(o.resultsFile);
  if (!o.resume) {
    if (existsSync(journalFile)) {
      throw new IdreconError('USAGE', 'these results belong to an executed run: continue it with --resume, or give another --results file', { file: o.resultsFile });
    }
    return { settled: new Set(), begun: new Set() };
  }
  if (!existsSync(o.resultsFile)) throw new IdreconError('USAGE', 'there is no run to resume: the results file does not exist', { file: o.resultsFile });
  const previous = await readResults(o.resultsFile);
  const foreign = previous.find((r) => r.plan_id !== plan.planId);
  if (foreign) throw new IdreconError('USAGE', `these results are for plan ${foreign.plan_id}, not ${plan.planId}: give the plan that run used`, { file: o.resultsFile });
  if (previous.some((r) => r.status === 'dry-run')) {
    throw new IdreconError('USAGE', 'these results are a dry run, which has nothing to resume: run without --resume to replace them', { file: o.resultsFile });
  }
  const journal = readJournal(journalFile);
  checkSamePlan(journal, plan, o);
  // Settled: applied, already done, or skipped for a reason in the plan itself. Failed, rolled-back
  // and drifted rows are read again: a drifted federated user may be on its staging UPN.
  const last = new Map(previous.map((r) => [Number(r.row), r]));
  const again = new Set<string>(['failed', 'rolled-back', 'skipped-drift'] satisfies ResultStatus[]);
  const settled = new Set([...last].filter(([, r]) => !again.has(r.status)).map(([row]) => row));
  // Begun: the last attempt was in flight at an interruption, or left unfinished (outcome unknown,
  // or the user on its staging UPN).
  const begun = new Set([...journal.unfinished].filter((row) => !settled.has(row)));
  return { settled, begun };
}

/** --resume continues the plan the run began with, and no other (row numbers alone prove nothing). */
function checkSamePlan(journal: JournalContents, plan: Plan, o: ApplyOptions): void {
  if (!journal.plan) return;
  const hashes = new Map(plan.rows.map((r) => [r.row, r.hash]));
  const changed = [...journal.rowHashes].filter(([row, hash]) => hashes.get(row) !== hash).map(([row]) => row).sort((a, b) => a - b);
  if (journal.plan.planHash === planHash(plan) && changed.length === 0) return;
  const rows = changed.length > 0 ? ` (rows ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', ...' : ''} differ)` : '';
  throw new IdreconError(
    'USAGE',
    `this plan is not the one the run began with${rows}: resume with the plan file that run used, or start a new run with another --results file`,
    { file: o.planFile },
  );
}

export async function applyPlan(o: ApplyOptions): Promise<ApplySummary> {
  const started = o.clock.now();
  await checkResultsPath(o);
  const plan = await readPlan(o.planFile, o.planEncoding);
  const { settled, begun } = await earlierRun(o, plan);
  const open = plan.rows.filter((r) => !settled.has(r.row));
  const candidates = open.filter((r) => !skipOf(r));
  if (o.execute && candidates.length > o.maxChanges) {
    throw new IdreconError(
      'GATE_FAILED',
      `${candidates.length} users would be changed, more than --max-changes ${o.maxChanges} allows (a safeguard against applying the wrong plan); nothing was written: check the plan, then run again with --max-changes ${candidates.length}`,
      { file: o.planFile },
    );
  }
  // Signing in before any file is opened: bad credentials leave nothing that needs --resume.
  const tokens = candidates.length > 0 ? await msalTokens(o.credentials) : undefined;
  await tokens?.token();
  const run = Run.open(o, plan, open, begun);
  try {
    for (const row of open) {
      const skip = skipOf(row);
      if (skip) run.record(baseResult(plan.planId, row), skip.status, skip.message);
    }
    if (tokens) await changeRows(run, new Tenant(o, tokens, run), candidates);
  } finally {
    run.close();
  }
  run.summary.notStarted = open.length - run.progress.done;
  run.summary.elapsedMs = o.clock.now() - started;
  return run.summary;
}

/** One run's record: the results log, the journal (with --execute), the counts and the progress shown. */
class Run {
  private constructor(
    readonly o: ApplyOptions,
    readonly planId: string,
    private readonly log: ResultsLog,
    readonly journal: Journal | undefined,
    /** Rows with a 'begin' in the journal: each needs its 'end'. */
    readonly begun: Set<number>,
    readonly summary: ApplySummary,
    readonly progress: ApplyProgress,
  ) {}

  static open(o: ApplyOptions, plan: Plan, open: PlanRow[], begun: Set<number>): Run {
    const summary: ApplySummary = {
      planId: plan.planId,
      counts: Object.fromEntries(RESULT_STATUSES.map((s) => [s, 0])) as Record<ResultStatus, number>,
      badApprovals: open.filter((r) => (r.approved && r.state === 'edited') || r.state === 'malformed').length,
      notStarted: 0,
      writes: 0,
      elapsedMs: 0,
      approved: plan.rows.filter((r) => !skipOf(r)).length,
      onStaging: [],
    };
    const log = new ResultsLog(o.resultsFile, o.resume);
    let journal: Journal | undefined;
    try {
      journal = o.execute ? new Journal(journalPathFor(o.resultsFile), o.resume, { planId: plan.planId, planHash: planHash(plan) }) : undefined;
    } catch (err) {
      log.close();
      throw err;
    }
    return new Run(o, plan.planId, log, journal, begun, summary, { done: 0, total: open.length, throttledMs: 0 });
  }

  /** A results row, and its 'end' in the journal unless `end` is false (the outcome is not settled). */
  record(r: ResultRow, status: ResultStatus, message: string, end = true): void {
    r.status = status;
    r.message = message;
    r.finished_at = new Date(this.o.clock.now()).toISOString();
    this.log.write(r);
    if (end && this.journal && this.begun.has(Number(r.row))) this.journal.record(Number(r.row), 'end');
    this.summary.counts[status]++;
    this.progress.done++;
    this.o.onProgress?.(this.progress);
  }

  close(): void {
    this.log.close();
    this.journal?.close();
  }
}

/** Graph as the runner uses it: fresh reads, and writes counted on the run and on the row. */
class Tenant {
  private readonly client: Client;
  private readonly policy: RetryPolicy;

  constructor(
    private readonly o: ApplyOptions,
    tokens: TokenSource,
    private readonly run: Run,
  ) {
    const onRetry = (e: RetryEvent) => {
      run.progress.throttledMs += e.pauseAddedMs;
      o.onRetry?.(e);
    };
    this.client = createGraphClient({ graphUrl: o.graphUrl, tokens, clock: o.clock, retry: o.retry, onRetry, writeBudget: o.writeBudget });
    this.policy = { ...DEFAULT_RETRY, ...o.retry };
  }

  read(ids: string[]): Promise<Map<string, ReadResult>> {
    return readUsers(this.client, ids, this.o.clock, this.policy);
  }

  async patch(r: ResultRow, body: Record<string, string | null>): Promise<GraphAnswer> {
    const tries = new Tries();
    const outcome = await patchUser(this.client, r.cloud_object_id, body, tries);
    r.attempts = String(Number(r.attempts || 0) + tries.count);
    this.run.summary.writes++;
    return outcome;
  }

  /** A fresh read of one user after a lost answer; undefined when it cannot be read. */
  async readBack(id: string): Promise<LiveUser | undefined> {
    try {
      const read = (await this.read([id])).get(id);
      return read && 'user' in read ? read.user : undefined;
    } catch {
      return undefined;
    }
  }
}

/** The approved rows, read afresh in batches and changed up to --concurrency at a time, until a stop is asked. */
async function changeRows(run: Run, tenant: Tenant, candidates: PlanRow[]): Promise<void> {
  const limit = pLimit(run.o.concurrency);
  for (let i = 0; i < candidates.length; i += BATCH_SIZE) {
    if (run.o.stopRequested()) break;
    const chunk = candidates.slice(i, i + BATCH_SIZE);
    const live = await tenant.read(chunk.map((r) => r.proposal.cloudObjectId));
    await Promise.all(
      chunk.map((row) =>
        limit(async () => {
          if (run.o.stopRequested()) return;
          await changeRow(run, tenant, row, live.get(row.proposal.cloudObjectId)!);
        }),
      ),
    );
  }
}

async function changeRow(run: Run, tenant: Tenant, row: PlanRow, read: ReadResult): Promise<void> {
  if ('user' in read) return execute(run, tenant, row, read.user, decide(row, read.user, run.begun.has(row.row)));
  const r = baseResult(run.planId, row);
  decidedBy(r, read.failure);
  if (read.failure.status === 404) return run.record(r, 'skipped-drift', 'the user no longer exists in the tenant: reconcile and plan again');
  // Unread, so unknown: a federated user may still sit on its staging UPN from an earlier run.
  if (row.proposal.upnFlip === 'yes' && run.begun.has(row.row)) run.summary.onStaging.push(row.proposal.upn);
  return run.record(r, 'failed', `the fresh read before writing failed (${read.failure.status} ${read.failure.code}); nothing was written: run apply --resume to try again`, false);
}

async function execute(run: Run, tenant: Tenant, row: PlanRow, live: LiveUser, decision: Decision): Promise<void> {
  const p = row.proposal;
  const r = baseResult(run.planId, row);
  r.started_at = new Date(run.o.clock.now()).toISOString();
  const target = targetOf(row);
  if (decision.kind === 'drift' || decision.kind === 'already-done') {
    // Nothing is written: before and after are the user as read now.
    r.before_upn = r.after_upn = live.userPrincipalName;
    r.before_immutable_id = r.after_immutable_id = live.onPremisesImmutableId ?? '';
    if (decision.kind === 'drift') return run.record(r, 'skipped-drift', decision.message);
    return run.record(r, 'already-done', 'the user already has the target value; nothing was written');
  }
  // 'before' stays the plan's current values, which the write was checked against: after an
  // interruption the fresh read already shows the change, and a rollback needs the original.
  r.after_upn = p.currentUpn;
  r.after_immutable_id = target;
  if (decision.kind === 'confirmed') return run.record(r, 'applied', 'written before the interruption; confirmed by a fresh read on resume');
  if (!run.journal) return dryRun(run, row, r, decision.kind);
  run.begun.add(row.row);
  run.journal.record(row.row, 'begin', row.hash);
  const rowPlan = { currentUpn: p.currentUpn, stagingUpn: p.stagingUpn, target, flip: p.upnFlip === 'yes' };
  const steps = decision.kind === 'move-back' ? moveBackOnly(rowPlan, live) : rowSteps(rowPlan, live, decision.kind === 'finish');
  return carryOut(run, tenant, row, r, steps);
}

/** What --execute would do to the row, in words; nothing is written. */
function dryRun(run: Run, row: PlanRow, r: ResultRow, kind: 'go' | 'finish' | 'move-back'): void {
  const p = row.proposal;
  const target = targetOf(row);
  if (kind === 'finish' || kind === 'move-back') {
    run.summary.onStaging.push(p.upn);
    const what = kind === 'finish' ? `${target ? 'set' : 'clear'} the ImmutableID and move the UPN back` : 'move the UPN back, writing nothing else';
    return run.record(r, 'dry-run', `the user is on its staging UPN ${p.stagingUpn}: apply --execute --resume would ${what}`);
  }
  const how = p.upnFlip === 'yes' ? `would move the UPN to ${p.stagingUpn}, ${target ? 'set' : 'clear'} the ImmutableID and move the UPN back` : `would ${target ? 'set' : 'clear'} the ImmutableID`;
  return run.record(r, 'dry-run', how);
}

/** Carries out a row's steps (lib/apply/steps.ts) against Graph, then records how it ended. */
async function carryOut(run: Run, tenant: Tenant, row: PlanRow, r: ResultRow, steps: Steps): Promise<void> {
  let feedback: Feedback;
  for (;;) {
    const next = steps.next(feedback);
    if (next.done) return finish(run, row, r, next.value);
    const c = next.value;
    if (c.do === 'patch') feedback = { patched: await tenant.patch(r, c.body) };
    else if (c.do === 'read') feedback = { read: await tenant.readBack(r.cloud_object_id) };
    else {
      run.journal!.record(row.row, 'staged');
      feedback = undefined;
    }
  }
}

function finish(run: Run, row: PlanRow, r: ResultRow, f: Final): void {
  if (f.decidedBy) decidedBy(r, f.decidedBy);
  r.after_upn = f.after === 'unknown' ? '' : f.after.upn;
  r.after_immutable_id = f.after === 'unknown' ? '' : f.after.immutableId;
  if (f.onStaging) run.summary.onStaging.push(row.proposal.upn);
  // No 'end' while the user may sit on its staging UPN, or the outcome is unknown: --resume
  // reads the user, and confirms, finishes or repairs the row.
  run.record(r, f.status, f.message, !f.onStaging && f.after !== 'unknown');
}

/** The request that decided the row: the last write when it worked, the refused one when not. */
function decidedBy(r: ResultRow, answer: GraphAnswer): void {
  r.http_status = String(answer.status);
  r.request_id = answer.requestId;
  r.graph_error_code = answer.code;
  r.graph_error_message = answer.message;
}

/** The results file is a new file, never the plan, in a folder that exists (made if need be). */
async function checkResultsPath(o: ApplyOptions): Promise<void> {
  if (resolve(o.resultsFile) === resolve(o.planFile)) {
    throw new IdreconError('USAGE', '--results: expected another file than --plan: the approved plan is the change record and is never overwritten', { file: o.resultsFile });
  }
  await prepareOutputFile(o.resultsFile);
}
