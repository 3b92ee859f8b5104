/**
 * Every status and reason a reconciliation row can have, declared once: classify writes them,
 * the reconciliation file carries them, plan's rules are keyed by them (lib/plan/rules.ts), so
 * a reason renamed here fails the build wherever it is used. docs/statuses.md explains each.
 * Kept apart from classify.ts so that tables.ts and records.ts need not import classify.
 */

export type AnchorAttribute = 'objectGUID' | 'mS-DS-ConsistencyGuid';

export type InvalidReason = 'empty-upn' | 'bad-anchor' | 'binary-export' | 'field-count';

/** Why an input row could not be used, for rejects.csv. */
export interface Invalid {
  reason: InvalidReason;
  column: string;
  value: string;
  message: string;
}

export type Status = 'invalid' | 'duplicate' | 'match' | 'missing' | 'okta-anchored' | 'mismatch' | 'onprem-only' | 'cloud-only';

/** The statuses in the order the summary lists them. */
export const STATUSES: readonly Status[] = ['match', 'missing', 'mismatch', 'okta-anchored', 'onprem-only', 'cloud-only', 'duplicate', 'invalid'];

const INVALID_REASONS: readonly InvalidReason[] = ['empty-upn', 'bad-anchor', 'binary-export', 'field-count'];

/** The reasons of each status ('' where a status has none). */
export const REASONS = {
  match: [''],
  missing: [''],
  mismatch: ['not-guid', 'byte-order', 'other-anchor-attribute', 'anchor-of-other-user', 'unknown-object'],
  'okta-anchored': ['okta-appuser-id', 'okta-user-id'],
  'onprem-only': ['anchor-under-other-upn', 'will-create'],
  'cloud-only': ['quarantined-duplicate', 'okta-anchored', 'anchor-of-onprem-user', 'orphan-anchor', 'unanchored'],
  duplicate: ['duplicate-upn-onprem', 'duplicate-upn-cloud', 'duplicate-anchor-onprem'],
  invalid: INVALID_REASONS,
} as const satisfies Record<Status, readonly string[]>;

export type ReasonOf<S extends Status> = (typeof REASONS)[S][number];
export type Reason = ReasonOf<Status>;

/** A status, or a status and one of its reasons as `status/reason`: what plan's rules are keyed by. */
export type StatusKey = Status | { [S in Status]: `${S}/${Exclude<ReasonOf<S>, ''>}` }[Status];
