/**
 * The steps of one plan row, as a pure generator: it yields what to do next (a PATCH, a fresh read
 * of the user) and is given what happened, and returns the row's outcome. No I/O here: lib/apply/
 * run.ts carries the steps out against Graph, test/apply/steps.test.ts drives them from a table.
 *
 * The rule it keeps: after a write whose answer was lost or ambiguous (no answer, a 5xx after
 * every retry), what the tenant holds is decided by a fresh read of the user, never by the
 * absence of an answer. A refusal (4xx, 429 included: Graph did not carry the request out) is an
 * answer: nothing was written by that request.
 */
import { sameUpn } from '../core/upn';
import type { ResultStatus } from '../formats/results';
import type { LiveUser, GraphAnswer } from './users';

/** What a row needs from the plan. */
export interface RowPlan {
  currentUpn: string;
  stagingUpn: string;
  /** The ImmutableID the row leaves behind: '' for a clear. */
  target: string;
  /** The user is in a federated domain: its UPN goes to stagingUpn while the ImmutableID changes. */
  flip: boolean;
}

export type StepName = 'stage' | 'write' | 'move-back';

export type Command =
  | { do: 'patch'; step: StepName; body: Record<string, string | null> }
  /** The user is on its staging UPN from here on: journal it before relying on it. */
  | { do: 'journal-staged' }
  | { do: 'read'; after: StepName };

export type Feedback = { patched: GraphAnswer } | { read: LiveUser | undefined } | undefined;

/** Where the row ends: its status, message, and what the tenant holds (or '?' when unknown). */
export interface Final {
  status: ResultStatus;
  message: string;
  /** The UPN and ImmutableID the user has now; unknown when a lost answer could not be read back. */
  after: { upn: string; immutableId: string } | 'unknown';
  /** The request that decided the row, for the results row. */
  decidedBy?: GraphAnswer;
  /** The user is (or may be) left on its staging UPN. */
  onStaging: boolean;
}

/** A refusal is an answer; no answer, or a gateway or server error after every retry, is not. */
export function answerLost(o: GraphAnswer): boolean {
  return !o.ok && (o.status === 0 || o.status >= 500);
}

const idOf = (u: LiveUser): string => u.onPremisesImmutableId ?? '';

export type Steps = Generator<Command, Final, Feedback>;

/** What to say when a lost answer could not be read back: the truth is unknown, and resume decides. */
function unknown(step: StepName, o: GraphAnswer, r: RowPlan): Final {
  return {
    status: 'failed',
    message: `the answer to the ${step} step was lost (${o.status} ${o.code}) and the user could not be read back: what the tenant holds is unknown; run apply --resume, which reads the user and finishes or repairs it`,
    after: 'unknown',
    decidedBy: o,
    onStaging: r.flip,
  };
}

const holds = (u: LiveUser) => ({ upn: u.userPrincipalName, immutableId: idOf(u) });

/** A row without a UPN move: one PATCH of the ImmutableID. */
function* setOnly(r: RowPlan, live: LiveUser): Steps {
  const anchor = { onPremisesImmutableId: r.target === '' ? null : r.target };
  const o = (yield { do: 'patch', step: 'write', body: anchor }) as { patched: GraphAnswer };
  const res = o.patched;
  if (res.ok) return { status: 'applied', message: '', after: { upn: live.userPrincipalName, immutableId: r.target }, decidedBy: res, onStaging: false };
  if (!answerLost(res)) {
    return { status: 'failed', message: 'Graph refused the change; nothing was changed: fix the cause, then run apply --resume to try again', after: holds(live), decidedBy: res, onStaging: false };
  }
  const seen = ((yield { do: 'read', after: 'write' }) as { read: LiveUser | undefined }).read;
  if (!seen) return unknown('write', res, r);
  if (idOf(seen) === r.target) {
    return { status: 'applied', message: 'the answer was lost; a fresh read shows the change was made', after: holds(seen), decidedBy: res, onStaging: false };
  }
  return {
    status: 'failed',
    message: `the answer was lost; a fresh read shows the ImmutableID is '${idOf(seen)}', not the target: run apply --resume to try again`,
    after: holds(seen),
    decidedBy: res,
    onStaging: false,
  };
}

/**
 * A federated user: UPN to staging, then the ImmutableID with the UPN moved back in one PATCH
 * (Microsoft's documented sequence), and the UPN moved back alone when that fails. `staged`: the
 * user is already on its staging UPN (an earlier attempt left it there).
 */
function* flip(r: RowPlan, live: LiveUser, staged: boolean): Steps {
  let idBefore = idOf(live);
  if (!staged) {
    const o = ((yield { do: 'patch', step: 'stage', body: { userPrincipalName: r.stagingUpn } }) as { patched: GraphAnswer }).patched;
    if (!o.ok && !answerLost(o)) {
      return { status: 'failed', message: `moving the UPN to ${r.stagingUpn} failed; nothing was changed: fix the cause, then run apply --resume to try again`, after: holds(live), decidedBy: o, onStaging: false };
    }
    if (!o.ok) {
      const seen = ((yield { do: 'read', after: 'stage' }) as { read: LiveUser | undefined }).read;
      if (!seen) return unknown('stage', o, r);
      if (!sameUpn(seen.userPrincipalName, r.stagingUpn)) {
        return {
          status: 'failed',
          message: `the answer to moving the UPN to ${r.stagingUpn} was lost; a fresh read shows the user on ${seen.userPrincipalName}: run apply --resume to try again`,
          after: holds(seen),
          decidedBy: o,
          onStaging: false,
        };
      }
      idBefore = idOf(seen);
    }
    yield { do: 'journal-staged' };
  }
  const body = { ...(idBefore !== r.target ? { onPremisesImmutableId: r.target === '' ? null : r.target } : {}), userPrincipalName: r.currentUpn };
  const w = ((yield { do: 'patch', step: 'write', body }) as { patched: GraphAnswer }).patched;
  const done = staged ? 'finished: an earlier attempt had left the user on the staging UPN' : '';
  if (w.ok) return { status: 'applied', message: done, after: { upn: r.currentUpn, immutableId: r.target }, decidedBy: w, onStaging: false };
  if (answerLost(w)) {
    const seen = ((yield { do: 'read', after: 'write' }) as { read: LiveUser | undefined }).read;
    if (!seen) return unknown('write', w, r);
    if (sameUpn(seen.userPrincipalName, r.currentUpn) && idOf(seen) === r.target) {
      return { status: 'applied', message: 'the answer was lost; a fresh read shows the change was made', after: holds(seen), decidedBy: w, onStaging: false };
    }
    if (!sameUpn(seen.userPrincipalName, r.stagingUpn)) {
      return { status: 'failed', message: `the answer was lost; a fresh read shows the user on ${seen.userPrincipalName} with ImmutableID '${idOf(seen)}': reconcile and plan again`, after: holds(seen), decidedBy: w, onStaging: false };
    }
    idBefore = idOf(seen);
  }
  return yield* moveBack(r, idBefore, w);
}

/** Puts the UPN back after the ImmutableID could not be changed; `idNow` is what the user holds. */
function* moveBack(r: RowPlan, idNow: string, cause: GraphAnswer | undefined): Steps {
  const back = ((yield { do: 'patch', step: 'move-back', body: { userPrincipalName: r.currentUpn } }) as { patched: GraphAnswer }).patched;
  const rolledBack = (after: { upn: string; immutableId: string }): Final => ({
    status: 'rolled-back',
    message: `changing the ImmutableID failed, so the UPN was moved back to ${r.currentUpn}: fix the cause, then run apply --resume to try again`,
    after,
    decidedBy: cause,
    onStaging: false,
  });
  if (back.ok) return rolledBack({ upn: r.currentUpn, immutableId: idNow });
  const leftOnStaging = (): Final => ({
    status: 'failed',
    message: `changing the ImmutableID failed and moving the UPN back failed too (${back.status} ${back.code}): the user is left on ${r.stagingUpn}; run apply --resume to repair it`,
    after: { upn: r.stagingUpn, immutableId: idNow },
    decidedBy: cause === undefined || answerLost(cause) ? back : cause,
    onStaging: true,
  });
  if (!answerLost(back)) return leftOnStaging();
  const seen = ((yield { do: 'read', after: 'move-back' }) as { read: LiveUser | undefined }).read;
  if (!seen) return unknown('move-back', back, r);
  if (sameUpn(seen.userPrincipalName, r.currentUpn)) return rolledBack(holds(seen));
  return { ...leftOnStaging(), after: holds(seen) };
}

/** The steps of a row to write: `staged` when the user already sits on its staging UPN. */
export function* rowSteps(r: RowPlan, live: LiveUser, staged = false): Steps {
  return r.flip ? yield* flip(r, live, staged) : yield* setOnly(r, live);
}

/** Moves a user found on its staging UPN back, when the ImmutableID is neither the plan's nor the target (nothing else is written). */
export function* moveBackOnly(r: RowPlan, live: LiveUser): Steps {
  const f = yield* moveBack(r, idOf(live), undefined);
  if (f.status !== 'rolled-back') return f;
  return {
    ...f,
    message: `the user was on its staging UPN with ImmutableID '${idOf(live)}', which the plan did not expect: the UPN was moved back to ${r.currentUpn} and nothing else written; reconcile and plan again`,
  };
}
