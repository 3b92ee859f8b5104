/**
 * The reconciliation rules: join on-prem and cloud records on UPN, derive the expected
 * ImmutableID, classify every record and predict what Entra Connect will do. Pure: the two tables
 * in, rows out, in a fixed order (on-prem file order, then the unjoined cloud rows in cloud file
 * order). The contract is issue 2 and docs/statuses.md.
 */
import { DISPLAY_ORDER, oktaIdKind } from './guid';
import {
  type AddressList,
  type CloudTable,
  IdKind,
  type OnpremTable,
  addressIndexes,
  addressesOf,
  cloudIndexes,
  onpremIndexes,
  sameBytes,
} from './tables';
import { writeDisplayGuid, writeImmutableId } from './guid';

import type { Reason, Status } from './statuses';

export { STATUSES, type AnchorAttribute, type Invalid, type InvalidReason, type Reason, type Status } from './statuses';

export type EntraConnect = 'hard-match' | 'soft-match' | 'create' | 'duplicate-created' | 'blocked' | 'not-synced' | 'out-of-scope' | 'unknown';

export type EntraConnectReason =
  | ''
  | 'critical-system-object'
  | 'privileged-role'
  | 'object-identifier-set'
  | 'takeover-blocked'
  | 'anchor-differs'
  | 'soft-match-blocked'
  | 'admin-role'
  | 'upn-conflict'
  | 'smtp-conflict';

/** An outcome and why: one shared object per kind, so a row costs no allocation for it. */
export interface Prediction {
  readonly outcome: EntraConnect;
  readonly reason: EntraConnectReason;
}

const predict = (outcome: EntraConnect, reason: EntraConnectReason = ''): Prediction => ({ outcome, reason });

export const PREDICTIONS = {
  unknown: predict('unknown'),
  outOfScope: predict('out-of-scope'),
  notSynced: predict('not-synced', 'critical-system-object'),
  hardMatch: predict('hard-match'),
  privilegedRole: predict('blocked', 'privileged-role'),
  objectIdentifierSet: predict('blocked', 'object-identifier-set'),
  takeoverBlocked: predict('blocked', 'takeover-blocked'),
  softMatch: predict('soft-match'),
  anchorDiffers: predict('duplicate-created', 'anchor-differs'),
  softMatchBlocked: predict('duplicate-created', 'soft-match-blocked'),
  adminRole: predict('duplicate-created', 'admin-role'),
  create: predict('create'),
  upnConflict: predict('duplicate-created', 'upn-conflict'),
  smtpConflict: predict('duplicate-created', 'smtp-conflict'),
} as const;

/** One output row: which records it joins (row numbers in the tables, -1 for none) and their verdict. */
export interface ReconRow {
  status: Status;
  reason: Reason;
  entraConnect: EntraConnect;
  entraConnectReason: EntraConnectReason;
  onprem: number;
  cloud: number;
  /** The other user an anchor ties this row to (anchor-of-/-under- reasons, quarantined copies). */
  relatedOnprem: number;
  relatedCloud: number;
  /**
   * On-prem rows: the cloud user, other than the one with this UPN, that Entra Connect will take
   * over (hard match on the anchor, or soft match on the primary SMTP address), or -1.
   */
  match: number;
}

/** The tenant's switches (features of /directory/onPremisesSynchronization) and what reconcile knows of it. */
export interface ClassifyOptions {
  /** blockSoftMatchEnabled: no soft match at all. */
  blockSoftMatch: boolean;
  /** blockCloudObjectTakeoverThroughHardMatchEnabled: no hard match onto a cloud-managed user. */
  blockHardMatchTakeover: boolean;
  /** softMatchOnUpnEnabled: soft match on UPN when the primary SMTP address found nothing. */
  upnSoftMatch: boolean;
  /** The tenant's initial domain (x.onmicrosoft.com), where quarantined UPNs are put; any *.onmicrosoft.com when unknown. */
  initialDomain?: string;
}

export const DEFAULT_TENANT: ClassifyOptions = { blockSoftMatch: false, blockHardMatchTakeover: false, upnSoftMatch: true };

/** `name+1234@` as documented, and `name1234@` as real quarantined users have it. */
const QUARANTINED_UPN = /^(.+?)(\+?)(\d{4})@([^@]+)$/;

/** The join indexes of both tables, built where each table was read (lib/core/tables.ts). */
export interface Indexes {
  onprem: ReturnType<typeof onpremIndexes>;
  cloud: ReturnType<typeof cloudIndexes>;
  /** Each on-prem row's UPN partner, when another thread works them out ahead (partnersByUpn). */
  partners?: Partners;
}

/**
 * `cloud[o]`: the first cloud row with on-prem row o's UPN key, or -1, filled by another thread
 * from the last row down: rows from `done[0]` up are filled (read atomically). classify looks up
 * the rows below itself, from the first up, and says in `done[1]` where it is; the two meet, and
 * no row is looked up twice (but for a few hundred where they meet). The answer never depends on
 * how far the other thread got.
 */
export interface Partners {
  cloud: Int32Array;
  done: Int32Array;
}

/** Fills `out` (see Partners) from the last row down, publishing every 256 rows, until it meets classify. Runs on its own thread. */
export function partnersByUpn(on: OnpremTable, byUpn: Indexes['cloud']['byUpn'], out: Partners): void {
  const bytes = on.arena.bytes;
  for (let o = on.count - 1; o >= 0; o--) {
    out.cloud[o] = on.keyLen[o] === 0 ? -1 : byUpn.find(bytes, on.keyAt[o], on.keyLen[o], on.keyHash[o]);
    if ((o & 0xff) === 0) {
      Atomics.store(out.done, 0, o);
      if (Atomics.load(out.done, 1) >= o) return;
    }
  }
}

export function* classify(
  on: OnpremTable,
  cl: CloudTable,
  opts: ClassifyOptions,
  indexes: Indexes = { onprem: onpremIndexes(on), cloud: cloudIndexes(cl) },
): Generator<ReconRow> {
  const { byUpn: onByUpn, byAnchor: onByAnchor } = indexes.onprem;
  const { byUpn: cloudByUpn, byId: cloudById } = indexes.cloud;
  const joined = new Uint8Array(cl.count);
  /**
   * The on-prem row that will take over (or be refused) a cloud user other than its UPN partner,
   * and the outcome: only such users are written on rows of their own. Few, so kept in a map.
   */
  const takenBy = new Map<number, { by: number; as: Prediction }>();
  // Addresses matter only when both exports have them; then the cloud's are indexed here, once.
  const addresses: { primary: AddressList; all: AddressList } | undefined = on.hasAddresses && cl.hasAddresses ? addressIndexes(cl) : undefined;
  /** The local parts of the on-prem UPNs, lower-cased: built when the first quarantine-shaped UPN is met. */
  let localParts: Set<string> | undefined;

  /** A row joining on-prem row `o` and cloud row `c` (-1 for none); no related user, no prediction. */
  const row = (status: Status, reason: Reason, o: number, c: number): ReconRow => ({
    status,
    reason,
    entraConnect: PREDICTIONS.unknown.outcome,
    entraConnectReason: PREDICTIONS.unknown.reason,
    onprem: o,
    cloud: c,
    relatedOnprem: -1,
    relatedCloud: -1,
    match: -1,
  });
  /** The other user the row's anchor ties it to, on either side. */
  const tiedTo = (r: ReconRow, side: 'onprem' | 'cloud', to: number): ReconRow => {
    if (side === 'onprem') r.relatedOnprem = to;
    else r.relatedCloud = to;
    return r;
  };
  const withPrediction = (r: ReconRow, p: Prediction, match = -1): ReconRow => {
    r.entraConnect = p.outcome;
    r.entraConnectReason = p.reason;
    r.match = match;
    return r;
  };
  const partners = indexes.partners;
  let partnersFrom = partners ? Atomics.load(partners.done, 0) : Infinity;
  /** The first cloud row with on-prem row o's UPN key, or -1: from the other thread when it got there first. */
  const partnerOf = (o: number): number => {
    if (o >= partnersFrom) return partners!.cloud[o];
    if (partners && (o & 0xfff) === 0) {
      Atomics.store(partners.done, 1, o);
      partnersFrom = Atomics.load(partners.done, 0);
      if (o >= partnersFrom) return partners.cloud[o];
    }
    return on.keyLen[o] === 0 ? -1 : cloudWithKeyOf(o);
  };
  /** A cloud user other than `own` whose ImmutableID is the 16 bytes at `at` of `b`. */
  const otherHolder = (b: Uint8Array, at: number, own: number): number => {
    const c = cloudById.find(b, at);
    return c === own ? -1 : c;
  };
  /** The on-prem row (first of its UPN) with the cloud row's key, and the reverse. */
  const onWithKeyOf = (c: number): number => onByUpn.find(cl.arena.bytes, cl.keyAt[c], cl.keyLen[c], cl.keyHash[c]);
  const cloudWithKeyOf = (o: number): number => cloudByUpn.find(on.arena.bytes, on.keyAt[o], on.keyLen[o], on.keyHash[o]);
  /** `o`, `c`: the first row of the key on each side, or -1 (an empty key is on neither). */
  const duplicateReason = (o: number, c: number): Reason | undefined => {
    if (o >= 0 && onByUpn.repeated[o]) return 'duplicate-upn-onprem';
    if (c >= 0 && cloudByUpn.repeated[c]) return 'duplicate-upn-cloud';
    return undefined;
  };
  /** The on-prem row whose anchor is the cloud row's ImmutableID, or -1. */
  const anchorOwner = (c: number): number =>
    cl.idKind[c] === IdKind.Guid ? onByAnchor.find(cl.ids, c * 16) : -1;
  const otherIdText = (c: number): string => cl.arena.text(cl.idAt[c], cl.idLen[c]);

  for (let o = 0; o < on.count; o++) {
    const c = partnerOf(o);
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
      if (holder >= 0) yield predicted(tiedTo(row('onprem-only', 'anchor-under-other-upn', o, -1), 'cloud', holder), holder);
      else yield predicted(row('onprem-only', 'will-create', o, -1), -1);
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
    if (kind === IdKind.Guid && sameBytes(cl.ids, c * 16, on.guids, at, 16)) return predicted(row('match', '', o, c), c);
    const holder = otherHolder(on.guids, at, c);
    if (kind === IdKind.Empty) return predicted(row('missing', '', o, c), holder);
    if (kind === IdKind.Other) {
      const okta = oktaIdKind(otherIdText(c));
      if (okta) return predicted(row('okta-anchored', okta, o, c), holder);
      return predicted(row('mismatch', 'not-guid', o, c), holder);
    }
    if (isDisplayOrderOf(cl.ids, c * 16, on.guids, at)) return predicted(row('mismatch', 'byte-order', o, c), holder);
    const other = on.otherAnchorAt(o);
    if (other >= 0 && sameBytes(cl.ids, c * 16, on.guids, other, 16)) return predicted(row('mismatch', 'other-anchor-attribute', o, c), holder);
    const owner = anchorOwner(c);
    if (owner >= 0) return predicted(tiedTo(row('mismatch', 'anchor-of-other-user', o, c), 'onprem', owner), holder);
    return predicted(row('mismatch', 'unknown-object', o, c), holder);
  }

  /**
   * An on-prem row in scope, given its prediction: `h` is the cloud user whose ImmutableID is the
   * row's expected one (hard match), or -1; the row's cloud user is the one with its UPN, or -1.
   */
  function predicted(r: ReconRow, h: number): ReconRow {
    const o = r.onprem;
    const c = r.cloud;
    let target = h;
    let p: Prediction;
    if (on.hasCritical && on.critical[o]) {
      p = PREDICTIONS.notSynced;
      target = -1;
    } else if (h >= 0) {
      p = hardMatch(o, h);
    } else {
      target = softMatchCandidate(o, c);
      p = target >= 0 ? softMatch(target) : created(o, c);
    }
    const match = target >= 0 && target !== c && (p === PREDICTIONS.hardMatch || p === PREDICTIONS.softMatch || p.outcome === 'blocked') ? target : -1;
    if (match >= 0 && !takenBy.has(match)) takenBy.set(match, { by: o, as: p });
    return withPrediction(r, p, match);
  }

  /** The 2026 protections: a privileged role, another object's identifier, a blocked takeover. */
  function hardMatch(o: number, h: number): Prediction {
    if (cl.hasRoles && cl.privileged[h] === 1) return PREDICTIONS.privilegedRole;
    if (cl.hasObjectIdentifier && cl.objIdentLen[h] > 0 && !isOwnIdentifier(o, h)) return PREDICTIONS.objectIdentifierSet;
    if (opts.blockHardMatchTakeover && cl.sync[h] !== 1) return PREDICTIONS.takeoverBlocked;
    return PREDICTIONS.hardMatch;
  }

  /** The primary SMTP address first, then (when the tenant allows it) the UPN. */
  function softMatchCandidate(o: number, c: number): number {
    if (addresses) {
      const { primary } = onpremAddresses(o);
      const s = primary ? addresses.primary.holder(primary) : -1;
      if (s >= 0) return s;
    }
    return opts.upnSoftMatch ? c : -1;
  }

  function onpremAddresses(o: number): { primary: string; all: string[] } {
    return addressesOf(on.text(on.proxyAt, on.proxyLen, o), on.text(on.mailAt, on.mailLen, o));
  }

  function softMatch(s: number): Prediction {
    if (cl.idKind[s] !== IdKind.Empty) return PREDICTIONS.anchorDiffers;
    if (opts.blockSoftMatch) return PREDICTIONS.softMatchBlocked;
    if (cl.hasRoles && cl.roles[s] !== 0) return PREDICTIONS.adminRole;
    return PREDICTIONS.softMatch;
  }

  /** A new cloud user: created anyway, with a placeholder UPN or without the address, when either is taken. */
  function created(o: number, c: number): Prediction {
    if (c >= 0) return PREDICTIONS.upnConflict;
    if (addresses) {
      for (const a of onpremAddresses(o).all) if (addresses.all.holder(a) >= 0) return PREDICTIONS.smtpConflict;
    }
    return PREDICTIONS.create;
  }

  /**
   * What onPremisesObjectIdentifier holds is not documented; a value naming this object (its
   * objectGUID, or its anchor as ImmutableID) counts as its own, anything else as another's.
   */
  function isOwnIdentifier(o: number, h: number): boolean {
    const ident = cl.arena.text(cl.objIdentAt[h], cl.objIdentLen[h]);
    const buf = Buffer.alloc(36);
    if (on.objectGuidKind[o]) {
      writeDisplayGuid(on.guids, o * 32, buf, 0);
      if (ident === buf.toString('latin1')) return true;
    }
    writeImmutableId(on.guids, on.anchorAt(o), buf, 0);
    return ident === buf.toString('latin1', 0, 24).toLowerCase();
  }

  function cloudOnly(c: number): ReconRow {
    const kind = cl.idKind[c];
    const owner = anchorOwner(c);
    const taken = takenBy.get(c);
    const by = taken ? taken.by : -1;
    const p = taken ? taken.as : PREDICTIONS.outOfScope;
    const related = by >= 0 ? by : owner;
    const cloudOnlyRow = (reason: Reason, relatedOnprem: number): ReconRow => withPrediction(tiedTo(row('cloud-only', reason, -1, c), 'onprem', relatedOnprem), p);
    if (isQuarantined(c)) return cloudOnlyRow('quarantined-duplicate', related);
    if (kind === IdKind.Other && oktaIdKind(otherIdText(c))) return cloudOnlyRow('okta-anchored', by);
    if (owner >= 0) return cloudOnlyRow('anchor-of-onprem-user', related);
    if (kind !== IdKind.Empty) return cloudOnlyRow('orphan-anchor', by);
    return cloudOnlyRow('unanchored', by);
  }

  /**
   * A copy Entra Connect made when the UPN was taken: its provisioning errors say so, or its UPN
   * is an on-prem user's local part and four digits on the initial domain (`name+1234@` as the
   * docs write it is recognised on any *.onmicrosoft.com domain).
   */
  function isQuarantined(c: number): boolean {
    if (cl.hasProvisioningErrors && cl.upnConflict[c]) return true;
    const m = QUARANTINED_UPN.exec(cl.upn(c));
    if (!m) return false;
    const domain = m[4].toLowerCase();
    const onInitial = opts.initialDomain ? domain === opts.initialDomain : domain.endsWith('.onmicrosoft.com');
    if (m[2] === '+') return domain.endsWith('.onmicrosoft.com');
    if (!onInitial) return false;
    localParts ??= new Set(Array.from({ length: on.count }, (_, o) => on.upn(o).toLowerCase().split('@')[0]));
    return localParts.has(m[1].toLowerCase());
  }
}

/** The bytes at `a` are the GUID at `b` in display order: the classic hand-conversion error. */
function isDisplayOrderOf(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number): boolean {
  for (let i = 0; i < 16; i++) if (a[aAt + i] !== b[bAt + DISPLAY_ORDER[i]]) return false;
  return true;
}
