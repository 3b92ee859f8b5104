/**
 * What to do with an approved plan row, given the user as Graph shows it now. Pure. The plan
 * was approved for the state it describes; if the tenant moved on, nothing is written.
 */
import { sameUpn } from '../core/upn';
import type { PlanRow } from '../formats/plan';
import type { LiveUser } from './users';

export type Decision =
  /** Write as planned. */
  | { kind: 'go' }
  /** The user already has the target: nothing to write. */
  | { kind: 'already-done' }
  /** A row begun before an interruption whose write had landed: record it as applied. */
  | { kind: 'confirmed' }
  /** The user is on its staging UPN (an earlier attempt, whatever its record says): finish it. */
  | { kind: 'finish' }
  /** On its staging UPN with an ImmutableID the plan does not know: move the UPN back only. */
  | { kind: 'move-back' }
  | { kind: 'drift'; message: string };

/** The ImmutableID a row leaves behind: '' for a clear. */
export function targetOf(row: PlanRow): string {
  return row.proposal.action === 'clear-immutable-id' ? '' : row.proposal.targetImmutableId;
}

/** `begun`: the journal shows this row was started by an earlier, interrupted run. */
export function decide(row: PlanRow, live: LiveUser, begun: boolean): Decision {
  const p = row.proposal;
  const liveId = live.onPremisesImmutableId ?? '';
  // A user on its own staging UPN cannot sign in: never drift, whichever run put it there.
  if (p.upnFlip === 'yes' && p.stagingUpn !== '' && sameUpn(live.userPrincipalName, p.stagingUpn)) {
    return liveId === p.currentImmutableId || liveId === targetOf(row) ? { kind: 'finish' } : { kind: 'move-back' };
  }
  if (liveId === targetOf(row) && sameUpn(live.userPrincipalName, p.currentUpn)) return begun ? { kind: 'confirmed' } : { kind: 'already-done' };
  if (live.onPremisesSyncEnabled === true) {
    return { kind: 'drift', message: 'the user is now synchronised from on-prem (onPremisesSyncEnabled): Graph refuses writes; reconcile again' };
  }
  if (!sameUpn(live.userPrincipalName, p.currentUpn)) {
    return { kind: 'drift', message: `the UPN is now ${live.userPrincipalName}, the plan expected ${p.currentUpn}: reconcile and plan again` };
  }
  if (liveId !== p.currentImmutableId) {
    return { kind: 'drift', message: `the ImmutableID is now '${liveId}', the plan expected '${p.currentImmutableId}': reconcile and plan again` };
  }
  return { kind: 'go' };
}
