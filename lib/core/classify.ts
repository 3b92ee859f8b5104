/**
 * The reconciliation rules: join on-prem and cloud records on UPN, derive the expected
 * ImmutableID, classify every record and predict what Entra Connect will do. Pure: the two tables
 * in, rows out, in a fixed order (on-prem file order, then the unjoined cloud rows in cloud file
 * order). The contract is issue 2 and docs/statuses.md.
 */
import { DISPLAY_ORDER, oktaIdKind } from './guid';
import { type CloudTable, IdKind, type OnpremTable, anchorKeys, cloudIndexes, hash16, idKeys, onpremIndexes, sameBytes, upnKeys } from './tables';

export type AnchorAttribute = 'objectGUID' | 'mS-DS-ConsistencyGuid';

export type InvalidReason = 'empty-upn' | 'bad-anchor' | 'binary-export' | 'field-count';

export interface Invalid {
  reason: InvalidReason;
  column: string;
  value: string;
  message: string;
}

export type Status = 'invalid' | 'duplicate' | 'match' | 'missing' | 'okta-anchored' | 'mismatch' | 'onprem-only' | 'cloud-only';

export const STATUSES: readonly Status[] = ['match', 'missing', 'mismatch', 'okta-anchored', 'onprem-only', 'cloud-only', 'duplicate', 'invalid'];

export type EntraConnect = 'hard-match' | 'soft-match' | 'duplicate-created' | 'create' | 'out-of-scope' | 'unknown';

/** One output row: which records it joins (row numbers in the tables, -1 for none) and their verdict. */
export interface ReconRow {
  status: Status;
  reason: string;
  entraConnect: EntraConnect;
  onprem: number;
  cloud: number;
  /** The other user an anchor ties this row to (anchor-of-/-under- reasons, quarantined copies). */
  relatedOnprem: number;
  relatedCloud: number;
  /**
   * On-prem rows: the cloud user (not the one with this UPN) that already carries this user's
   * ImmutableID, so Entra Connect will hard-match to it before it tries anything else.
   */
  hardMatch: number;
}

export interface ClassifyOptions {
  /** The tenant has BlockSoftMatchEnabled: a missing ImmutableID cannot soft-match. */
  blockSoftMatch: boolean;
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


/** The join indexes of both tables, built where each table was read (lib/core/tables.ts). */
export interface Indexes {
  onprem: ReturnType<typeof onpremIndexes>;
  cloud: ReturnType<typeof cloudIndexes>;
}

export function* classify(
  on: OnpremTable,
  cl: CloudTable,
  opts: ClassifyOptions,
  indexes: Indexes = { onprem: onpremIndexes(on), cloud: cloudIndexes(cl) },
): Generator<ReconRow> {
  const { byUpn: onByUpn, byAnchor: onByAnchor } = indexes.onprem;
  const { byUpn: cloudByUpn, byId: cloudById } = indexes.cloud;
  const onUpns = upnKeys(on);
  const onAnchors = anchorKeys(on);
  const cloudUpns = upnKeys(cl);
  const cloudIds = idKeys(cl);
  const joined = new Uint8Array(cl.count);

  /** `hardMatch`: the other cloud user that carries an on-prem row's anchor. */
  const row = (status: Status, reason: string, o: number, c: number, relatedOnprem = -1, relatedCloud = -1, hardMatch = -1): ReconRow => ({
    status,
    reason,
    entraConnect: entraConnectOutcome(status, reason, opts, hardMatch >= 0 || (o < 0 && relatedOnprem >= 0)),
    onprem: o,
    cloud: c,
    relatedOnprem,
    relatedCloud,
    hardMatch,
  });
  /** A cloud user other than `own` whose ImmutableID is the 16 bytes at `at` of `b`. */
  const otherHolder = (b: Uint8Array, at: number, own: number): number => {
    const c = cloudById.find(cloudIds, b, at, 16, hash16(b, at));
    return c === own ? -1 : c;
  };
  /** The on-prem row (first of its UPN) with the cloud row's key, and the reverse. */
  const onWithKeyOf = (c: number): number => onByUpn.find(onUpns, cl.arena.bytes, cl.keyAt[c], cl.keyLen[c], cl.keyHash[c]);
  const cloudWithKeyOf = (o: number): number => cloudByUpn.find(cloudUpns, on.arena.bytes, on.keyAt[o], on.keyLen[o], on.keyHash[o]);
  /** `o`, `c`: the first row of the key on each side, or -1 (an empty key is on neither). */
  const duplicateReason = (o: number, c: number): string | undefined => {
    if (o >= 0 && onByUpn.repeated[o]) return 'duplicate-upn-onprem';
    if (c >= 0 && cloudByUpn.repeated[c]) return 'duplicate-upn-cloud';
    return undefined;
  };
  /** The on-prem row whose anchor is the cloud row's ImmutableID, or -1. */
  const anchorOwner = (c: number): number =>
    cl.idKind[c] === IdKind.Guid ? onByAnchor.find(onAnchors, cl.ids, c * 16, 16, hash16(cl.ids, c * 16)) : -1;
  const otherIdText = (c: number): string => cl.arena.text(cl.idAt[c], cl.idLen[c]);

  for (let o = 0; o < on.count; o++) {
    const c = on.keyLen[o] === 0 ? -1 : cloudWithKeyOf(o);
    const dup = duplicateReason(onByUpn.first[o], c);
    // A row joins its cloud partner only when the key is on neither side twice.
    if (c >= 0 && !dup) joined[c] = 1;
    const bad = on.invalid.get(o);
    if (bad) {
      yield row('invalid', bad.reason, o, dup ? -1 : c);
      continue;
    }
    if (dup) {
      yield row('duplicate', dup, o, -1);
      continue;
    }
    const at = on.anchorAt(o);
    if (onByAnchor.repeated[onByAnchor.first[o]]) {
      yield row('duplicate', 'duplicate-anchor-onprem', o, c);
    } else if (c >= 0 && cl.invalid.has(c)) {
      yield row('invalid', cl.invalid.get(c)!.reason, o, c);
    } else if (c >= 0) {
      yield comparePair(o, c, at);
    } else {
      const holder = otherHolder(on.guids, at, -1);
      if (holder >= 0) yield row('onprem-only', 'anchor-under-other-upn', o, -1, -1, holder, holder);
      else yield row('onprem-only', 'will-create', o, -1);
    }
  }

  for (let c = 0; c < cl.count; c++) {
    if (joined[c]) continue;
    const bad = cl.invalid.get(c);
    if (bad) {
      yield row('invalid', bad.reason, -1, c);
      continue;
    }
    const dup = cl.keyLen[c] === 0 ? undefined : duplicateReason(onWithKeyOf(c), cloudByUpn.first[c]);
    if (dup) {
      yield row('duplicate', dup, -1, c);
      continue;
    }
    yield cloudOnly(c);
  }

  /** `at`: where the on-prem row's expected ImmutableID bytes are in on.guids. */
  function comparePair(o: number, c: number, at: number): ReconRow {
    const kind = cl.idKind[c];
    if (kind === IdKind.Guid && sameBytes(cl.ids, c * 16, on.guids, at, 16)) return row('match', '', o, c);
    const taker = otherHolder(on.guids, at, c);
    if (kind === IdKind.Empty) return row('missing', '', o, c, -1, -1, taker);
    if (kind === IdKind.Other) {
      const okta = oktaIdKind(otherIdText(c));
      if (okta) return row('okta-anchored', okta, o, c, -1, -1, taker);
      return row('mismatch', 'not-guid', o, c, -1, -1, taker);
    }
    if (isDisplayOrderOf(cl.ids, c * 16, on.guids, at)) return row('mismatch', 'byte-order', o, c, -1, -1, taker);
    const other = on.otherAnchorAt(o);
    if (other >= 0 && sameBytes(cl.ids, c * 16, on.guids, other, 16)) return row('mismatch', 'other-anchor-attribute', o, c, -1, -1, taker);
    const owner = anchorOwner(c);
    if (owner >= 0) return row('mismatch', 'anchor-of-other-user', o, c, owner, -1, taker);
    return row('mismatch', 'unknown-object', o, c, -1, -1, taker);
  }

  function cloudOnly(c: number): ReconRow {
    const kind = cl.idKind[c];
    const owner = anchorOwner(c);
    if (QUARANTINED_UPN.test(cl.upn(c))) return row('cloud-only', 'quarantined-duplicate', -1, c, owner);
    if (kind === IdKind.Other && oktaIdKind(otherIdText(c))) return row('cloud-only', 'okta-anchored', -1, c);
    if (owner >= 0) return row('cloud-only', 'anchor-of-onprem-user', -1, c, owner);
    if (kind !== IdKind.Empty) return row('cloud-only', 'orphan-anchor', -1, c);
    return row('cloud-only', 'unanchored', -1, c);
  }
}

/** The bytes at `a` are the GUID at `b` in display order: the classic hand-conversion error. */
function isDisplayOrderOf(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number): boolean {
  for (let i = 0; i < 16; i++) if (a[aAt + i] !== b[bAt + DISPLAY_ORDER[i]]) return false;
  return true;
}
