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
  LocalParts,
  type OnpremTable,
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
}

/** A cloud user an on-prem row other than its UPN partner will take over (or be refused): written on a row of its own with that outcome. */
export interface Takeover {
  cloud: number;
  by: number;
  outcome: EntraConnect;
  reason: EntraConnectReason;
}

/** A row object to fill (Classifier.onpremRow), so a million rows cost no million objects. */
export const blankRow = (): ReconRow => ({
  status: 'match',
  reason: '',
  entraConnect: 'unknown',
  entraConnectReason: '',
  onprem: -1,
  cloud: -1,
  relatedOnprem: -1,
  relatedCloud: -1,
  match: -1,
});

/**
 * The rules, in two passes: every on-prem row (in any order, in any number of pieces, each
 * piece on its own Classifier sharing `joined`), then, once every on-prem row is done and the
 * pieces' takeovers are merged, the cloud rows nobody joined. The rows are the same however the
 * on-prem rows were split: `joined` only ever gains ones, and of two takeovers of one cloud user
 * the first on-prem row's wins, as one pass in file order would have it.
 */
export class Classifier {
  private readonly onByUpn;
  private readonly onByAnchor;
  private readonly cloudByUpn;
  private readonly cloudById;
  private readonly takenBy = new Map<number, { by: number; as: Prediction }>();
  /** The cloud users by address; soft match and address conflicts read them when both exports have addresses. */
  private readonly addresses: { primary: AddressList; all: AddressList } | undefined;
  /** The local parts of the on-prem UPNs, lower-cased: built when the first quarantine-shaped UPN is met. */
  private localParts: LocalParts | undefined;

  constructor(
    private readonly on: OnpremTable,
    private readonly cl: CloudTable,
    private readonly opts: ClassifyOptions,
    indexes: Indexes = { onprem: onpremIndexes(on), cloud: cloudIndexes(cl) },
    /** 1 for each cloud row an on-prem row joined; shared by the Classifiers of one run. */
    readonly joined: Uint8Array = new Uint8Array(cl.count),
  ) {
    ({ byUpn: this.onByUpn, byAnchor: this.onByAnchor } = indexes.onprem);
    ({ byUpn: this.cloudByUpn, byId: this.cloudById } = indexes.cloud);
    // Built where the cloud table was read, once, and shared by every Classifier of a run.
    this.addresses = on.hasAddresses ? indexes.cloud.addresses : undefined;
  }

  /** The UPN partners (see onpremRow) of on-prem rows [from, to), into out[0, to - from), looked up together (KeyIndex.findAll). */
  partners(from: number, to: number, out: Int32Array): void {
    const on = this.on;
    this.cloudByUpn.findAll(on.arena.bytes, on.keyAt, on.keyLen, on.keyHash, from, to, out);
  }

  /** On-prem row `o`'s verdict, filled into `r`; `c`: the first cloud row with its UPN key, or -1, if already looked up. */
  onpremRow(o: number, r: ReconRow, c = this.on.keyLen[o] === 0 ? -1 : this.cloudWithKeyOf(o)): ReconRow {
    const { on, cl } = this;
    const dup = this.duplicateReason(o, c);
    // A row joins its cloud partner only when the key is on neither side twice.
    if (c >= 0 && !dup) this.joined[c] = 1;
    const bad = on.invalid.size === 0 ? undefined : on.invalid.get(o);
    if (bad) return fill(r, 'invalid', bad.reason, o, dup ? -1 : c);
    if (dup) return fill(r, 'duplicate', dup, o, -1);
    const at = on.anchorAt(o);
    if (this.onByAnchor.isRepeated(o)) return fill(r, 'duplicate', 'duplicate-anchor-onprem', o, c);
    if (c >= 0 && cl.invalid.size > 0 && cl.invalid.has(c)) return fill(r, 'invalid', cl.invalid.get(c)!.reason, o, c);
    if (c >= 0) return this.comparePair(r, o, c, at);
    const holder = this.otherHolder(on.guids, at, -1);
    if (holder >= 0) return this.predicted(tiedTo(fill(r, 'onprem-only', 'anchor-under-other-upn', o, -1), 'cloud', holder), holder);
    return this.predicted(fill(r, 'onprem-only', 'will-create', o, -1), -1);
  }

  /** The cloud users this Classifier's on-prem rows take over, for the Classifier that writes the cloud rows. */
  takeovers(): Takeover[] {
    return [...this.takenBy].map(([cloud, t]) => ({ cloud, by: t.by, outcome: t.as.outcome, reason: t.as.reason }));
  }

  /** Takeovers found by another Classifier over other on-prem rows: of two, the earlier on-prem row's counts. */
  adopt(takeovers: readonly Takeover[]): void {
    for (const t of takeovers) {
      const held = this.takenBy.get(t.cloud);
      if (held && held.by < t.by) continue;
      const as = Object.values(PREDICTIONS).find((p) => p.outcome === t.outcome && p.reason === t.reason);
      if (!as) throw new Error(`no prediction ${t.outcome}/${t.reason}`);
      this.takenBy.set(t.cloud, { by: t.by, as });
    }
  }

  /** The cloud rows nobody joined, in file order: only once every on-prem row is classified and the takeovers adopted. */
  *cloudRows(): Generator<ReconRow> {
    for (let c = 0; c < this.cl.count; c++) if (!this.joined[c]) yield this.cloudRow(c, blankRow());
  }

  /** Cloud row `c`'s verdict, filled into `r`, when no on-prem row joined it (`joined`). */
  cloudRow(c: number, r: ReconRow): ReconRow {
    const cl = this.cl;
    const bad = cl.invalid.size === 0 ? undefined : cl.invalid.get(c);
    if (bad) return fill(r, 'invalid', bad.reason, -1, c);
    const dup = cl.keyLen[c] === 0 ? undefined : this.duplicateReason(this.onWithKeyOf(c), c);
    if (dup) return fill(r, 'duplicate', dup, -1, c);
    return this.cloudOnly(r, c);
  }

  /** A cloud user other than `own` whose ImmutableID is the 16 bytes at `at` of `b`. */
  private otherHolder(b: Uint8Array, at: number, own: number): number {
    const c = this.cloudById.find(b, at);
    return c === own ? -1 : c;
  }

  /** The on-prem row (first of its UPN) with the cloud row's key, and the reverse. */
  private onWithKeyOf(c: number): number {
    const cl = this.cl;
    return this.onByUpn.find(cl.arena.bytes, cl.keyAt[c], cl.keyLen[c], cl.keyHash[c]);
  }

  private cloudWithKeyOf(o: number): number {
    const on = this.on;
    return this.cloudByUpn.find(on.arena.bytes, on.keyAt[o], on.keyLen[o], on.keyHash[o]);
  }

  /** `o`, `c`: a row of the key on each side, or -1 (an empty key is on neither). */
  private duplicateReason(o: number, c: number): Reason | undefined {
    if (o >= 0 && this.onByUpn.isRepeated(o)) return 'duplicate-upn-onprem';
    if (c >= 0 && this.cloudByUpn.isRepeated(c)) return 'duplicate-upn-cloud';
    return undefined;
  }

  /** The on-prem row whose anchor is the cloud row's ImmutableID, or -1. */
  private anchorOwner(c: number): number {
    const cl = this.cl;
    return cl.idKind[c] === IdKind.Guid ? this.onByAnchor.find(cl.ids, c * 16) : -1;
  }

  private otherIdText(c: number): string {
    return this.cl.arena.text(this.cl.otherIdAt(c), this.cl.otherIdLen(c));
  }

  /** `at`: where the on-prem row's expected ImmutableID bytes are in on.guids. */
  private comparePair(r: ReconRow, o: number, c: number, at: number): ReconRow {
    const { on, cl } = this;
    const kind = cl.idKind[c];
    if (kind === IdKind.Guid && sameBytes(cl.ids, c * 16, on.guids, at, 16)) return this.predicted(fill(r, 'match', '', o, c), c);
    const holder = this.otherHolder(on.guids, at, c);
    if (kind === IdKind.Empty) return this.predicted(fill(r, 'missing', '', o, c), holder);
    if (kind === IdKind.Other) {
      const okta = oktaIdKind(this.otherIdText(c));
      if (okta) return this.predicted(fill(r, 'okta-anchored', okta, o, c), holder);
      return this.predicted(fill(r, 'mismatch', 'not-guid', o, c), holder);
    }
    if (isDisplayOrderOf(cl.ids, c * 16, on.guids, at)) return this.predicted(fill(r, 'mismatch', 'byte-order', o, c), holder);
    const other = on.otherAnchorAt(o);
    if (other >= 0 && sameBytes(cl.ids, c * 16, on.guids, other, 16)) return this.predicted(fill(r, 'mismatch', 'other-anchor-attribute', o, c), holder);
    const owner = this.anchorOwner(c);
    if (owner >= 0) return this.predicted(tiedTo(fill(r, 'mismatch', 'anchor-of-other-user', o, c), 'onprem', owner), holder);
    return this.predicted(fill(r, 'mismatch', 'unknown-object', o, c), holder);
  }

  /**
   * An on-prem row in scope, given its prediction: `h` is the cloud user whose ImmutableID is the
   * row's expected one (hard match), or -1; the row's cloud user is the one with its UPN, or -1.
   */
  private predicted(r: ReconRow, h: number): ReconRow {
    const o = r.onprem;
    const c = r.cloud;
    let target = h;
    let p: Prediction;
    if (this.on.hasCritical && this.on.critical[o]) {
      p = PREDICTIONS.notSynced;
      target = -1;
    } else if (h >= 0) {
      p = this.hardMatch(o, h);
    } else {
      target = this.softMatchCandidate(o, c);
      p = target >= 0 ? this.softMatch(target) : this.created(o, c);
    }
    const match = target >= 0 && target !== c && (p === PREDICTIONS.hardMatch || p === PREDICTIONS.softMatch || p.outcome === 'blocked') ? target : -1;
    if (match >= 0) {
      // Rows come in file order within one Classifier; adopt() settles it between Classifiers.
      const held = this.takenBy.get(match);
      if (!held || held.by > o) this.takenBy.set(match, { by: o, as: p });
    }
    return withPrediction(r, p, match);
  }

  /** The 2026 protections: a privileged role, another object's identifier, a blocked takeover. */
  private hardMatch(o: number, h: number): Prediction {
    const cl = this.cl;
    if (cl.hasRoles && cl.privileged[h] === 1) return PREDICTIONS.privilegedRole;
    if (cl.hasObjectIdentifier && cl.objIdentLen[h] > 0 && !this.isOwnIdentifier(o, h)) return PREDICTIONS.objectIdentifierSet;
    if (this.opts.blockHardMatchTakeover && cl.sync[h] !== 1) return PREDICTIONS.takeoverBlocked;
    return PREDICTIONS.hardMatch;
  }

  /** The primary SMTP address first, then (when the tenant allows it) the UPN. */
  private softMatchCandidate(o: number, c: number): number {
    if (this.addresses) {
      const { primary } = this.onpremAddresses(o);
      const s = primary ? this.addresses.primary.holder(primary) : -1;
      if (s >= 0) return s;
    }
    return this.opts.upnSoftMatch ? c : -1;
  }

  private onpremAddresses(o: number): { primary: string; all: string[] } {
    const on = this.on;
    return addressesOf(on.text(on.proxyAt, on.proxyLen, o), on.text(on.mailAt, on.mailLen, o));
  }

  private softMatch(s: number): Prediction {
    const cl = this.cl;
    if (cl.idKind[s] !== IdKind.Empty) return PREDICTIONS.anchorDiffers;
    if (this.opts.blockSoftMatch) return PREDICTIONS.softMatchBlocked;
    if (cl.hasRoles && cl.roles[s] !== 0) return PREDICTIONS.adminRole;
    return PREDICTIONS.softMatch;
  }

  /** A new cloud user: created anyway, with a placeholder UPN or without the address, when either is taken. */
  private created(o: number, c: number): Prediction {
    if (c >= 0) return PREDICTIONS.upnConflict;
    if (this.addresses) {
      for (const a of this.onpremAddresses(o).all) if (this.addresses.all.holder(a) >= 0) return PREDICTIONS.smtpConflict;
    }
    return PREDICTIONS.create;
  }

  /**
   * What onPremisesObjectIdentifier holds is not documented; a value naming this object (its
   * objectGUID, or its anchor as ImmutableID) counts as its own, anything else as another's.
   */
  private isOwnIdentifier(o: number, h: number): boolean {
    const { on, cl } = this;
    const ident = cl.arena.text(cl.objIdentAt[h], cl.objIdentLen[h]);
    const buf = Buffer.alloc(36);
    if (on.objectGuidKind[o]) {
      writeDisplayGuid(on.guids, o * 32, buf, 0);
      if (ident === buf.toString('latin1')) return true;
    }
    writeImmutableId(on.guids, on.anchorAt(o), buf, 0);
    return ident === buf.toString('latin1', 0, 24).toLowerCase();
  }

  private cloudOnly(r: ReconRow, c: number): ReconRow {
    const kind = this.cl.idKind[c];
    const owner = this.anchorOwner(c);
    const taken = this.takenBy.get(c);
    const by = taken ? taken.by : -1;
    const p = taken ? taken.as : PREDICTIONS.outOfScope;
    const related = by >= 0 ? by : owner;
    const cloudOnlyRow = (reason: Reason, relatedOnprem: number): ReconRow => withPrediction(tiedTo(fill(r, 'cloud-only', reason, -1, c), 'onprem', relatedOnprem), p);
    if (this.isQuarantined(c)) return cloudOnlyRow('quarantined-duplicate', related);
    if (kind === IdKind.Other && oktaIdKind(this.otherIdText(c))) return cloudOnlyRow('okta-anchored', by);
    if (owner >= 0) return cloudOnlyRow('anchor-of-onprem-user', related);
    if (kind !== IdKind.Empty) return cloudOnlyRow('orphan-anchor', by);
    return cloudOnlyRow('unanchored', by);
  }

  /**
   * A copy Entra Connect made when the UPN was taken: its provisioning errors say so, or its UPN
   * is an on-prem user's local part and four digits on the initial domain (`name+1234@` as the
   * docs write it is recognised on any *.onmicrosoft.com domain).
   */
  private isQuarantined(c: number): boolean {
    const { on, cl, opts } = this;
    if (cl.hasProvisioningErrors && cl.upnConflict[c]) return true;
    if (!fourDigitsBeforeAt(cl.arena.bytes, cl.upnAt[c], cl.upnLen[c])) return false;
    const m = QUARANTINED_UPN.exec(cl.upn(c));
    if (!m) return false;
    const domain = m[4].toLowerCase();
    const onInitial = opts.initialDomain ? domain === opts.initialDomain : domain.endsWith('.onmicrosoft.com');
    if (m[2] === '+') return domain.endsWith('.onmicrosoft.com');
    if (!onInitial) return false;
    this.localParts ??= new LocalParts(on);
    return this.localParts.has(m[1].toLowerCase());
  }
}

/** Every row, on one Classifier: on-prem rows in file order, then the unjoined cloud rows. */
export function* classify(on: OnpremTable, cl: CloudTable, opts: ClassifyOptions, indexes?: Indexes): Generator<ReconRow> {
  const k = new Classifier(on, cl, opts, indexes);
  for (let o = 0; o < on.count; o++) yield k.onpremRow(o, blankRow());
  yield* k.cloudRows();
}

/** A row joining on-prem row `o` and cloud row `c` (-1 for none); no related user, no prediction yet. */
function fill(r: ReconRow, status: Status, reason: Reason, o: number, c: number): ReconRow {
  r.status = status;
  r.reason = reason;
  r.entraConnect = PREDICTIONS.unknown.outcome;
  r.entraConnectReason = PREDICTIONS.unknown.reason;
  r.onprem = o;
  r.cloud = c;
  r.relatedOnprem = -1;
  r.relatedCloud = -1;
  r.match = -1;
  return r;
}

/** The other user the row's anchor ties it to, on either side. */
function tiedTo(r: ReconRow, side: 'onprem' | 'cloud', to: number): ReconRow {
  if (side === 'onprem') r.relatedOnprem = to;
  else r.relatedCloud = to;
  return r;
}

function withPrediction(r: ReconRow, p: Prediction, match = -1): ReconRow {
  r.entraConnect = p.outcome;
  r.entraConnectReason = p.reason;
  r.match = match;
  return r;
}

/** Whether the UPN in bytes [at, at + len) has four digits just before its last @: only then can it be a quarantined copy (QUARANTINED_UPN), so most UPNs never become a string. */
function fourDigitsBeforeAt(b: Uint8Array, at: number, len: number): boolean {
  let i = at + len - 1;
  while (i >= at && b[i] !== 0x40) i--;
  if (i - 4 < at) return false;
  for (let k = i - 4; k < i; k++) if (b[k] < 0x30 || b[k] > 0x39) return false;
  return true;
}

/** The bytes at `a` are the GUID at `b` in display order: the classic hand-conversion error. */
function isDisplayOrderOf(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number): boolean {
  for (let i = 0; i < 16; i++) if (a[aAt + i] !== b[bAt + DISPLAY_ORDER[i]]) return false;
  return true;
}
