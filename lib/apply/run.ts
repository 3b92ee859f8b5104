/**
 * apply: executes the approved, intact rows of a plan through Graph. Every write is preceded by a
 * fresh read of the user and followed by a results row; each step is journalled first, so an
 * interrupted run can be resumed and a user is never left on a staging UPN without a record.
 */
import { existsSync } from 'node:fs';
import pLimit from 'p-limit';
import { IdreconError } from '../errors';
import type { Encoding } from '../io/csv-reader';
import { msalTokens } from '../graph/auth';
import type { Credentials } from '../graph/auth';
import type { Clock } from '../graph/clock';
import { createGraphClient } from '../graph/client';
import type { Limit } from '../graph/limits';
import { DEFAULT_RETRY, type RetryEvent, type RetryPolicy } from '../graph/retry';
import { type PlanRow, readPlan } from '../plan/read';
import { type Decision, decide, targetOf } from './decide';
import { Journal, journalPathFor, readJournal } from './journal';
import { ResultsLog, type ResultRow, type ResultStatus, emptyResult, readResults } from './results';
import { BATCH_SIZE, type LiveUser, type Outcome, patchUser, readUsers } from './users';

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
  onProgress?: (p: Progress) => void;
  /** Each retry of a Graph request (throttling, 503, 504, dropped connection), as it happens. */
  onRetry?: (e: RetryEvent) => void;
}

export interface Progress {
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
}

const STATUSES: readonly ResultStatus[] = [
  'applied',
  'dry-run',
  'already-done',
  'skipped-unapproved',
  'skipped-edited',
  'skipped-review',
  'skipped-drift',
  'rolled-back',
  'failed',
];

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

/** Which rows of an earlier run are settled, and which were begun but not finished. */
async function earlierRun(o: ApplyOptions, planId: string): Promise<{ settled: Set<number>; begun: Set<number> }> {
  const journalFile = journalPathFor(o.resultsFile);
  if (!o.resume) {
    if (existsSync(journalFile)) {
      throw new IdreconError('USAGE', 'these results belong to an executed run: continue it with --resume, or give another --results file', { file: o.resultsFile });
    }
    return { settled: new Set(), begun: new Set() };
  }
  if (!existsSync(o.resultsFile)) throw new IdreconError('USAGE', 'there is no run to resume: the results file does not exist', { file: o.resultsFile });
  const previous = await readResults(o.resultsFile);
  const foreign = previous.find((r) => r.plan_id !== planId);
  if (foreign) throw new IdreconError('USAGE', `these results are for plan ${foreign.plan_id}, not ${planId}: give the plan that run used`, { file: o.resultsFile });
  if (previous.some((r) => r.status === 'dry-run')) {
    throw new IdreconError('USAGE', 'these results are a dry run, which has nothing to resume: run without --resume to replace them', { file: o.resultsFile });
  }
  // A row whose last results line is anything but failed or rolled-back is settled; those two (a
  // user left on the staging UPN among them) are tried again. A row begun in the journal without a
  // results line was in flight: a fresh read decides what it still needs.
  const last = new Map(previous.map((r) => [Number(r.row), r]));
  const settled = new Set([...last].filter(([, r]) => r.status !== 'failed' && r.status !== 'rolled-back').map(([row]) => row));
  // Begun: in flight at the interruption (no results line yet), or failed with the user left on
  // the staging UPN. Only these may be finished, or confirmed as written by that earlier attempt.
  const leftOnStaging = (row: number) => {
    const r = last.get(row);
    return r !== undefined && r.status === 'failed' && r.staging_upn !== '' && r.after_upn === r.staging_upn;
  };
  const journal = readJournal(journalFile);
  const begun = new Set([...journal].filter(([row, events]) => events.has('begin') && (!last.has(row) || leftOnStaging(row))).map(([row]) => row));
  return { settled, begun };
}

export async function applyPlan(o: ApplyOptions): Promise<ApplySummary> {
  const started = o.clock.now();
  const plan = await readPlan(o.planFile, o.planEncoding);
  const { settled, begun } = await earlierRun(o, plan.planId);
  const open = plan.rows.filter((r) => !settled.has(r.row));
  const candidates = open.filter((r) => !skipOf(r));
  if (o.execute && candidates.length > o.maxChanges) {
    throw new IdreconError(
      'GATE_FAILED',
      `${candidates.length} users would be changed, more than --max-changes ${o.maxChanges} allows (a safeguard against applying the wrong plan); nothing was written: check the plan, then run again with --max-changes ${candidates.length}`,
      { file: o.planFile },
    );
  }

  const summary: ApplySummary = {
    planId: plan.planId,
    counts: Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ResultStatus, number>,
    badApprovals: open.filter((r) => (r.approved && r.state === 'edited') || r.state === 'malformed').length,
    notStarted: 0,
    writes: 0,
    elapsedMs: 0,
  };
  const progress: Progress = { done: 0, total: open.length, throttledMs: 0 };
  const retries = new Map<string, number>();
  const onRetry = (e: RetryEvent) => {
    const path = new URL(e.url).pathname;
    retries.set(path, (retries.get(path) ?? 0) + 1);
    progress.throttledMs += e.pauseAddedMs;
    o.onRetry?.(e);
  };
  // Signing in before any file is opened: bad credentials leave nothing that needs --resume.
  const tokens = candidates.length > 0 ? await msalTokens(o.credentials) : undefined;
  await tokens?.token();
  const log = new ResultsLog(o.resultsFile, o.resume);
  const journal = o.execute ? new Journal(journalPathFor(o.resultsFile), o.resume) : undefined;
  const record = (r: ResultRow, status: ResultStatus, message: string, end = true) => {
    r.status = status;
    r.message = message;
    r.finished_at = new Date(o.clock.now()).toISOString();
    log.write(r);
    if (end && journal && begun.has(Number(r.row))) journal.record(Number(r.row), 'end');
    summary.counts[status]++;
    progress.done++;
    o.onProgress?.(progress);
  };

  try {
    for (const row of open) {
      const skip = skipOf(row);
      if (skip) record(baseResult(plan.planId, row), skip.status, skip.message);
    }
    if (tokens) {
      const client = createGraphClient({ graphUrl: o.graphUrl, tokens, clock: o.clock, retry: o.retry, onRetry, writeBudget: o.writeBudget });
      const policy = { ...DEFAULT_RETRY, ...o.retry };
      const limit = pLimit(o.concurrency);

      const patch = async (r: ResultRow, body: Record<string, string | null>): Promise<Outcome> => {
        const path = `/v1.0/users/${encodeURIComponent(r.cloud_object_id)}`;
        const before = retries.get(path) ?? 0;
        const outcome = await patchUser(client, r.cloud_object_id, body);
        r.attempts = String(Number(r.attempts || 0) + 1 + (retries.get(path) ?? 0) - before);
        summary.writes++;
        return outcome;
      };
      /** The request that decided the row: the last write when it worked, the refused one when not. */
      const decidedBy = (r: ResultRow, o2: Outcome) => {
        r.http_status = String(o2.status);
        r.request_id = o2.requestId;
        r.graph_error_code = o2.code;
        r.graph_error_message = o2.message;
      };

      const execute = async (row: PlanRow, live: LiveUser, decision: Decision): Promise<void> => {
        const p = row.proposal;
        const r = baseResult(plan.planId, row);
        r.started_at = new Date(o.clock.now()).toISOString();
        const target = targetOf(row);
        if (decision.kind === 'drift' || decision.kind === 'already-done') {
          // Nothing is written: before and after are the user as read now.
          r.before_upn = r.after_upn = live.userPrincipalName;
          r.before_immutable_id = r.after_immutable_id = live.onPremisesImmutableId ?? '';
          if (decision.kind === 'drift') return record(r, 'skipped-drift', decision.message);
          return record(r, 'already-done', 'the user already has the target value; nothing was written');
        }
        // 'before' stays the plan's current values, which the write was checked against: after an
        // interruption the fresh read already shows the change, and a rollback needs the original.
        r.after_upn = p.currentUpn;
        r.after_immutable_id = target;
        if (decision.kind === 'confirmed') return record(r, 'applied', 'written before the interruption; confirmed by a fresh read on resume');
        if (!journal) {
          const how = p.upnFlip === 'yes' ? `would move the UPN to ${p.stagingUpn}, ${target ? 'set' : 'clear'} the ImmutableID and move the UPN back` : `would ${target ? 'set' : 'clear'} the ImmutableID`;
          return record(r, 'dry-run', how);
        }
        begun.add(row.row);
        journal.record(row.row, 'begin');
        const anchor = { onPremisesImmutableId: target === '' ? null : target };
        if (p.upnFlip !== 'yes') {
          const result = await patch(r, anchor);
          decidedBy(r, result);
          if (result.ok) return record(r, 'applied', '');
          r.after_upn = live.userPrincipalName;
          r.after_immutable_id = live.onPremisesImmutableId ?? '';
          return record(r, 'failed', 'Graph refused the change; nothing was changed: fix the cause, then run apply --resume to try again');
        }
        if (decision.kind === 'go') {
          const staged = await patch(r, { userPrincipalName: p.stagingUpn });
          if (!staged.ok) {
            decidedBy(r, staged);
            r.after_upn = live.userPrincipalName;
            r.after_immutable_id = live.onPremisesImmutableId ?? '';
            return record(r, 'failed', `moving the UPN to ${p.stagingUpn} failed; nothing was changed: fix the cause, then run apply --resume to try again`);
          }
          journal.record(row.row, 'staged');
        }
        const needsAnchor = (live.onPremisesImmutableId ?? '') !== target;
        const written = await patch(r, { ...(needsAnchor ? anchor : {}), userPrincipalName: p.currentUpn });
        decidedBy(r, written);
        if (written.ok) return record(r, 'applied', decision.kind === 'finish' ? 'finished: an earlier attempt had left the user on the staging UPN' : '');
        const undone = await patch(r, { userPrincipalName: p.currentUpn });
        r.after_immutable_id = decision.kind === 'finish' ? (live.onPremisesImmutableId ?? '') : p.currentImmutableId;
        if (undone.ok) {
          return record(r, 'rolled-back', `changing the ImmutableID failed, so the UPN was moved back to ${p.currentUpn}: fix the cause, then run apply --resume to try again`);
        }
        r.after_upn = p.stagingUpn;
        // No 'end' in the journal: apply --resume finds this user on the staging UPN and repairs it.
        return record(
          r,
          'failed',
          `changing the ImmutableID failed and moving the UPN back failed too (${undone.status} ${undone.code}): the user is left on ${p.stagingUpn}; run apply --resume to repair it`,
          false,
        );
      };

      for (let i = 0; i < candidates.length; i += BATCH_SIZE) {
        if (o.stopRequested()) break;
        const chunk = candidates.slice(i, i + BATCH_SIZE);
        const live = await readUsers(client, chunk.map((r) => r.proposal.cloudObjectId), o.clock, policy);
        await Promise.all(
          chunk.map((row) =>
            limit(async () => {
              if (o.stopRequested()) return;
              const read = live.get(row.proposal.cloudObjectId)!;
              if ('failure' in read) {
                const r = baseResult(plan.planId, row);
                decidedBy(r, read.failure);
                if (read.failure.status === 404) return record(r, 'skipped-drift', 'the user no longer exists in the tenant: reconcile and plan again');
                return record(r, 'failed', `the fresh read before writing failed (${read.failure.status} ${read.failure.code}); nothing was written: run apply --resume to try again`);
              }
              await execute(row, read.user, decide(row, read.user, begun.has(row.row)));
            }),
          ),
        );
      }
    }
  } finally {
    log.close();
    journal?.close();
  }
  summary.notStarted = open.length - progress.done;
  summary.elapsedMs = o.clock.now() - started;
  return summary;
}
