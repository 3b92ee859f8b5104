/**
 * The reconciliation rules: join on-prem and cloud records on UPN, derive the expected
 * ImmutableID, classify every record and predict what Entra Connect will do. Pure: plain records
 * in, rows out, in a fixed order (on-prem file order, then the unjoined cloud rows in cloud file
 * order). The contract is issue 2 and docs/statuses.md.
 */
import { fromImmutableId, isGuidImmutableId, oktaIdKind, toDisplayOrderBase64 } from './guid';

export type AnchorAttribute = 'objectGUID' | 'mS-DS-ConsistencyGuid';

export type InvalidReason = 'empty-upn' | 'bad-anchor' | 'binary-export' | 'field-count';

export interface Invalid {
  reason: InvalidReason;
  column: string;
  value: string;
  message: string;
}

export interface OnpremRecord {
  line: number;
  upn: string;
  /** Join key: trimmed, lower-cased UPN; '' when empty. */
  key: string;
  /** ImmutableID form (Base64 of stored bytes) of objectGUID, '' when absent or unusable. */
  objectGuid: string;
  /** ImmutableID form of mS-DS-ConsistencyGuid, '' when absent or unusable. */
  consistencyGuid: string;
  /** Which attribute is the source anchor for this row; undefined when the row is invalid. */
  anchorAttribute: AnchorAttribute | undefined;
  invalid: Invalid | undefined;
}

export interface CloudRecord {
  line: number;
  upn: string;
  key: string;
  objectId: string;
  /** As exported, trimmed. */
  immutableId: string;
  syncEnabled: string;
  invalid: Invalid | undefined;
}

export type Status = 'invalid' | 'duplicate' | 'match' | 'missing' | 'okta-anchored' | 'mismatch' | 'onprem-only' | 'cloud-only';

export const STATUSES: readonly Status[] = ['match', 'missing', 'mismatch', 'okta-anchored', 'onprem-only', 'cloud-only', 'duplicate', 'invalid'];

export type EntraConnect = 'hard-match' | 'soft-match' | 'duplicate-created' | 'create' | 'out-of-scope' | 'unknown';

export interface ReconRow {
  upn: string;
  status: Status;
  reason: string;
  entraConnect: EntraConnect;
  onprem: OnpremRecord | undefined;
  cloud: CloudRecord | undefined;
  /** The other user an anchor ties this row to (anchor-of-/-under- reasons, quarantined copies). */
  relatedUpn: string;
  /**
   * On-prem rows: the cloud user (not the one with this UPN) that already carries this user's
   * ImmutableID, so Entra Connect will hard-match to it before it tries anything else.
   */
  hardMatchUpn: string;
}

export interface ClassifyOptions {
  /** The tenant has BlockSoftMatchEnabled: a missing ImmutableID cannot soft-match. */
  blockSoftMatch: boolean;
}

export function expectedImmutableId(r: OnpremRecord): string {
  if (r.anchorAttribute === 'mS-DS-ConsistencyGuid') return r.consistencyGuid;
  if (r.anchorAttribute === 'objectGUID') return r.objectGuid;
  return '';
}

/** The ImmutableID the row's other GUID attribute would give. */
function otherAttributeImmutableId(r: OnpremRecord): string {
  return r.anchorAttribute === 'mS-DS-ConsistencyGuid' ? r.objectGuid : r.consistencyGuid;
}

const QUARANTINED_UPN = /^[^@]+\+\d{4}@[^@]+\.onmicrosoft\.com$/i;

/**
 * `tiedByAnchor`: an on-prem user's anchor is on another cloud user, or a cloud user carries an
 * on-prem user's anchor. Hard match is tried first, on the anchor alone, so it decides the outcome
 * whatever the UPNs say.
 */
export function entraConnectOutcome(status: Status, reason: string, opts: ClassifyOptions, tiedByAnchor = false): EntraConnect {
  if (status === 'invalid' || status === 'duplicate') return 'unknown';
  if (tiedByAnchor) return 'hard-match';
  switch (status) {
    case 'match':
      return 'hard-match';
    case 'missing':
      return opts.blockSoftMatch ? 'duplicate-created' : 'soft-match';
    case 'mismatch':
    case 'okta-anchored':
      return 'duplicate-created';
    case 'onprem-only':
      return reason === 'anchor-under-other-upn' ? 'hard-match' : 'create';
    case 'cloud-only':
      return reason === 'anchor-of-onprem-user' ? 'hard-match' : 'out-of-scope';
  }
}

/** Index of first occurrence per key, plus the keys seen more than once. */
class KeyIndex {
  readonly first = new Map<string, number>();
  readonly repeated = new Set<string>();

  add(key: string, index: number): void {
    if (key === '') return;
    if (this.first.has(key)) this.repeated.add(key);
    else this.first.set(key, index);
  }
}

export function* classify(onprem: readonly OnpremRecord[], cloud: readonly CloudRecord[], opts: ClassifyOptions): Generator<ReconRow> {
  const onByUpn = new KeyIndex();
  const onByAnchor = new KeyIndex();
  onprem.forEach((r, i) => {
    onByUpn.add(r.key, i);
    if (!r.invalid) onByAnchor.add(expectedImmutableId(r), i);
  });
  const cloudByUpn = new KeyIndex();
  const cloudByImmutableId = new KeyIndex();
  cloud.forEach((r, i) => {
    cloudByUpn.add(r.key, i);
    cloudByImmutableId.add(r.immutableId, i);
  });
  const joined = new Uint8Array(cloud.length);

  /** `hardMatch`: the other cloud user that carries an on-prem row's anchor. */
  const row = (status: Status, reason: string, on: OnpremRecord | undefined, cl: CloudRecord | undefined, relatedUpn = '', hardMatch?: CloudRecord): ReconRow => ({
    upn: on ? on.upn : cl!.upn,
    status,
    reason,
    entraConnect: entraConnectOutcome(status, reason, opts, hardMatch !== undefined || (!on && relatedUpn !== '')),
    onprem: on,
    cloud: cl,
    relatedUpn,
    hardMatchUpn: hardMatch?.upn ?? '',
  });
  /** A cloud user other than `own` that carries this ImmutableID. */
  const otherHolder = (immutableId: string, own: CloudRecord | undefined): CloudRecord | undefined => {
    const i = cloudByImmutableId.first.get(immutableId);
    return i === undefined || cloud[i] === own ? undefined : cloud[i];
  };
  const duplicateReason = (key: string): string | undefined => {
    if (onByUpn.repeated.has(key)) return 'duplicate-upn-onprem';
    if (cloudByUpn.repeated.has(key)) return 'duplicate-upn-cloud';
    return undefined;
  };
  const partnerOf = (key: string): number | undefined => {
    const i = key === '' || duplicateReason(key) ? undefined : cloudByUpn.first.get(key);
    if (i !== undefined) joined[i] = 1;
    return i;
  };

  for (const on of onprem) {
    if (on.invalid) {
      const ci = partnerOf(on.key);
      yield row('invalid', on.invalid.reason, on, ci === undefined ? undefined : cloud[ci]);
      continue;
    }
    const dup = duplicateReason(on.key);
    if (dup) {
      yield row('duplicate', dup, on, undefined);
      continue;
    }
    const expected = expectedImmutableId(on);
    const ci = partnerOf(on.key);
    const cl = ci === undefined ? undefined : cloud[ci];
    if (onByAnchor.repeated.has(expected)) {
      yield row('duplicate', 'duplicate-anchor-onprem', on, cl);
    } else if (cl?.invalid) {
      yield row('invalid', cl.invalid.reason, on, cl);
    } else if (cl) {
      yield comparePair(on, cl, expected);
    } else {
      const holder = otherHolder(expected, undefined);
      if (holder) yield row('onprem-only', 'anchor-under-other-upn', on, undefined, holder.upn, holder);
      else yield row('onprem-only', 'will-create', on, undefined);
    }
  }

  for (let i = 0; i < cloud.length; i++) {
    if (joined[i]) continue;
    const cl = cloud[i];
    if (cl.invalid) {
      yield row('invalid', cl.invalid.reason, undefined, cl);
      continue;
    }
    const dup = duplicateReason(cl.key);
    if (dup) {
      yield row('duplicate', dup, undefined, cl);
      continue;
    }
    yield cloudOnly(cl);
  }

  function comparePair(on: OnpremRecord, cl: CloudRecord, expected: string): ReconRow {
    const actual = cl.immutableId;
    if (actual === expected) return row('match', '', on, cl);
    const taker = otherHolder(expected, cl);
    if (actual === '') return row('missing', '', on, cl, '', taker);
    const okta = oktaIdKind(actual);
    if (okta) return row('okta-anchored', okta, on, cl, '', taker);
    if (actual === toDisplayOrderBase64(fromImmutableId(expected)!)) return row('mismatch', 'byte-order', on, cl, '', taker);
    if (actual === otherAttributeImmutableId(on)) return row('mismatch', 'other-anchor-attribute', on, cl, '', taker);
    const owner = onByAnchor.first.get(actual);
    if (owner !== undefined) return row('mismatch', 'anchor-of-other-user', on, cl, onprem[owner].upn, taker);
    if (isGuidImmutableId(actual)) return row('mismatch', 'unknown-object', on, cl, '', taker);
    return row('mismatch', 'not-guid', on, cl, '', taker);
  }

  function cloudOnly(cl: CloudRecord): ReconRow {
    const owner = onByAnchor.first.get(cl.immutableId);
    const ownerUpn = owner === undefined ? '' : onprem[owner].upn;
    if (QUARANTINED_UPN.test(cl.upn)) return row('cloud-only', 'quarantined-duplicate', undefined, cl, ownerUpn);
    if (oktaIdKind(cl.immutableId)) return row('cloud-only', 'okta-anchored', undefined, cl);
    if (ownerUpn) return row('cloud-only', 'anchor-of-onprem-user', undefined, cl, ownerUpn);
    if (cl.immutableId !== '') return row('cloud-only', 'orphan-anchor', undefined, cl);
    return row('cloud-only', 'unanchored', undefined, cl);
  }
}
