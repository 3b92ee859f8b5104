/**
 * From a reconciliation row to a proposed change: the smallest safe action, and one sentence an
 * approver can judge it by. Pure; docs/plan.md lists every action and why it is chosen.
 */
import type { StatusKey } from '../core/statuses';
import { foldUpn } from '../core/upn';
import type { OktaAppUser } from '../formats/okta-users';
import type { ReconciliationRow } from '../formats/reconciliation';
import { type Action, type Proposal } from '../formats/plan';

export interface PlanContext {
  federatedDomains: ReadonlySet<string>;
  initialDomain: string | undefined;
  clearInsteadOfSet: boolean;
  /** Okta app users by folded user name (lib/core/upn.ts), when an Okta export was given. */
  okta: ReadonlyMap<string, OktaAppUser> | undefined;
}

/** Keyed by the typed status and reason (lib/core/statuses.ts): a renamed reason fails the build. */
type Rules = { readonly [K in StatusKey]?: string };

const SETTABLE: Rules = {
  missing: 'The cloud user has no ImmutableID',
  'okta-anchored/okta-appuser-id': "The cloud user's ImmutableID is an Okta app assignment id, which Entra Connect cannot match",
  'okta-anchored/okta-user-id': "The cloud user's ImmutableID is an Okta user id, which Entra Connect cannot match",
  'mismatch/byte-order': 'The ImmutableID was converted with the wrong byte order',
  'mismatch/unknown-object': "The ImmutableID belongs to no AD object in the export (a deleted or re-created account)",
};

const REVIEW: Rules = {
  'mismatch/other-anchor-attribute':
    'The ImmutableID comes from the other GUID attribute: decide which attribute Entra Connect uses as source anchor before changing anything',
  'mismatch/anchor-of-other-user': 'The ImmutableID is the anchor of another on-prem user ({related}): find out which account belongs to whom',
  'mismatch/not-guid': 'The ImmutableID is not GUID-based (another IdP or a custom anchor): decide whether the anchor changes',
  'onprem-only/anchor-under-other-upn': 'The cloud user {related} carries this user\'s anchor under another UPN: decide whether it is the same person (rename) or a conflict',
  'cloud-only/quarantined-duplicate': 'A quarantined duplicate Entra Connect created earlier: merge or delete it by hand',
  duplicate: 'The UPN or anchor is not unique in the exports: fix the duplicate in AD or the tenant first',
  invalid: 'The export row could not be used (see rejects.csv): fix the export and reconcile again',
};

const UNANCHORED: StatusKey = 'cloud-only/unanchored';

function reviewWhy(r: ReconciliationRow): string {
  const text = REVIEW[`${r.status}/${r.reason}` as StatusKey] ?? REVIEW[r.status as StatusKey]!;
  return `${text.replace('{related}', r.relatedUpn)}.`;
}

function domainOf(upn: string): string {
  return upn.slice(upn.lastIndexOf('@') + 1).toLowerCase();
}

/** What every proposal repeats of its reconciliation row. */
const rowFields = (r: ReconciliationRow) => ({
  upn: r.upn,
  currentUpn: r.cloudUpn,
  cloudObjectId: r.cloudObjectId,
  status: r.status,
  reason: r.reason,
  currentImmutableId: r.cloudImmutableId,
});

function review(r: ReconciliationRow, why: string): Proposal {
  return { ...rowFields(r), action: 'review', targetImmutableId: r.expectedImmutableId, upnFlip: '', stagingUpn: '', why };
}

const HARD_MATCH = ' so that Entra Connect hard-matches the on-prem user';

function write(r: ReconciliationRow, ctx: PlanContext, target: string, because: string, purpose = HARD_MATCH): Proposal {
  const action: Action = ctx.clearInsteadOfSet ? 'clear-immutable-id' : 'set-immutable-id';
  const federated = ctx.federatedDomains.has(domainOf(r.cloudUpn));
  const stagingUpn = federated && ctx.initialDomain ? `${r.cloudUpn.slice(0, r.cloudUpn.lastIndexOf('@'))}@${ctx.initialDomain}` : '';
  const change = ctx.clearInsteadOfSet
    ? 'clear it so that Entra Connect stamps the anchor itself when it matches the user'
    : `set it to ${target}${purpose}`;
  const flip = federated
    ? ` The UPN is in the federated domain ${domainOf(r.cloudUpn)}, where Graph refuses a new ImmutableID: the UPN is moved to ${stagingUpn}, the ImmutableID changed, and the UPN moved back.`
    : '';
  return {
    ...rowFields(r),
    action,
    targetImmutableId: ctx.clearInsteadOfSet ? '' : target,
    upnFlip: federated ? 'yes' : 'no',
    stagingUpn,
    why: `${because}: ${change}.${flip}`,
  };
}

/** The proposal for one reconciliation row, or undefined when nothing needs doing. */
export function propose(r: ReconciliationRow, ctx: PlanContext): Proposal | undefined {
  // Read from a file, so possibly neither: such a key finds no rule.
  const key = (r.reason ? `${r.status}/${r.reason}` : r.status) as StatusKey;
  const okta = ctx.okta?.get(foldUpn(r.cloudUpn || r.upn));
  const pushedBack = okta && r.expectedImmutableId ? okta.immutableIds.find((v) => v !== r.expectedImmutableId) : undefined;
  if (pushedBack !== undefined) {
    return review(
      r,
      `Okta pushes ${pushedBack} as this user's ImmutableID (profile.immutableId of its Office 365 app user) but the on-prem anchor gives ${r.expectedImmutableId}: Okta would push its value back over any fix; correct the Okta mapping, or turn provisioning off, first.`,
    );
  }
  const connect = connectReview(r);
  if (connect) return review(r, connect);
  const writable = SETTABLE[key] || (key === UNANCHORED && okta);
  if (writable && r.cloudSyncEnabled === 'true') {
    return review(r, 'The cloud user is synchronised from on-prem now (onPremisesSyncEnabled), so Graph refuses the change: fix it at the source.');
  }
  const roles = activeRoles(r.cloudRoles);
  if (writable && roles.length > 0) {
    return review(
      r,
      `The cloud user holds the admin role ${roles.join(', ')}, and Graph refuses an application's change of onPremisesImmutableId or userPrincipalName on such a user: make the change signed in as a Privileged Authentication Administrator, or remove the role for the change and assign it again after.`,
    );
  }
  if (SETTABLE[key]) {
    if (r.matchUpn) {
      return review(r, `The cloud user ${r.matchUpn} already carries this user's anchor, and ImmutableIDs are unique: decide which cloud account belongs to the user.`);
    }
    // There is nothing to clear on a user without an ImmutableID.
    if (ctx.clearInsteadOfSet && r.cloudImmutableId === '') return undefined;
    return write(r, ctx, r.expectedImmutableId, SETTABLE[key]!);
  }
  if (key === UNANCHORED && okta) return oktaOnly(r, ctx, okta);
  if (REVIEW[key] || r.status === 'duplicate' || r.status === 'invalid') return review(r, reviewWhy(r));
  return undefined;
}

const activeRoles = (cell: string): string[] =>
  cell
    .split(';')
    .map((r) => r.trim())
    .filter((r) => r && !r.toLowerCase().endsWith(' (eligible)'));

/**
 * Where Entra Connect will refuse the match, or match an account under another UPN: nothing to
 * apply, but something a person must do before the cutover. Never changed by idrecon.
 */
function connectReview(r: ReconciliationRow): string | undefined {
  const target = r.matchUpn || r.cloudUpn;
  if (r.entraConnect === 'blocked') {
    switch (r.entraConnectReason) {
      case 'privileged-role':
        return `Entra Connect will refuse to hard-match this user to ${target}, which holds or is eligible for a privileged role (InvalidHardMatch, 103): remove the role assignment and any PIM eligibility for the cutover, let Entra Connect match the user, then assign them again.`;
      case 'object-identifier-set':
        return `Entra Connect will refuse to hard-match this user to ${target}, whose onPremisesObjectIdentifier names another on-prem object (AttributeUpdateNotAllowed, 96): if this AD user owns the account, clear it (PATCH /beta/users/{id} {"onPremisesObjectIdentifier": null}, permission User-OnPremisesSyncBehavior.ReadWrite.All) or turn on allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled for the cutover.`;
      default:
        return `The tenant blocks cloud object takeover through hard match (blockCloudObjectTakeoverThroughHardMatchEnabled) and ${target} is cloud-managed, so Entra Connect will not match it: turn the switch off for a matching window, then on again.`;
    }
  }
  if (r.entraConnect === 'soft-match' && r.matchUpn) {
    return `Entra Connect will soft-match this user on its primary SMTP address to ${r.matchUpn}, an account under another UPN, and take it over: confirm it is the same person before the cutover, or change the address.`;
  }
  return undefined;
}

/** A user with no AD account that Okta provisions: the value Okta pushes, so that its next push changes nothing. */
function oktaOnly(r: ReconciliationRow, ctx: PlanContext, okta: OktaAppUser): Proposal {
  const because = 'The user has no AD account and Okta provisions it';
  if (okta.immutableIds.length > 1) {
    return review(r, `${because}, but its Office 365 app instances in Okta push different ImmutableIDs (${okta.immutableIds.join(', ')}): decide which instance owns the user.`);
  }
  if (okta.immutableIds.length === 0) {
    const source = okta.knowsImmutableId ? "Okta's profile has no immutableId for it" : 'the Okta file has no profile.immutableId column';
    return review(
      r,
      `${because}, but ${source}, so what Okta will push is not known (Okta substitutes an id of its own on assignment): export the Okta side with idrecon export okta, or set the mapping Okta recommends (user.getInternalProperty("id")), and plan again.`,
    );
  }
  return write(r, { ...ctx, clearInsteadOfSet: false }, okta.immutableIds[0], because, ', the value Okta pushes as its ImmutableID (profile.immutableId), so that Okta\'s next push changes nothing');
}
