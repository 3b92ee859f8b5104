/**
 * The exports as columns: every record of a file in a handful of typed arrays, its text as UTF-8
 * bytes in one buffer, its GUIDs as their 16 stored bytes. A million users cost their bytes, not
 * a million objects and five million strings, and the tables move between threads without a copy.
 * Pure data; lib/core/records.ts fills them, lib/core/classify.ts reads them.
 */
import type { AnchorAttribute, Invalid } from './statuses';

/**
 * Every column lives in shared memory: the reading threads fill the tables, the main thread
 * classifies and writes them while another thread joins them, and none of it is copied.
 */
export const u8 = (n: number): Uint8Array => new Uint8Array(new SharedArrayBuffer(n));
export const i32 = (n: number): Int32Array => new Int32Array(new SharedArrayBuffer(n * 4));

/** Text of many rows as UTF-8 bytes in one growing buffer. */
export class Arena {
  bytes = u8(1 << 16);
  used = 0;

  /** Room for `n` more bytes; the buffer may move, so offsets, never views, are kept. */
  reserve(n: number): void {
    if (this.used + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.used + n) size *= 2;
    const bigger = u8(size);
    bigger.set(this.bytes.subarray(0, this.used));
    this.bytes = bigger;
  }

  /** Appends bytes [from, to) of `src`, returning where they start. */
  copy(src: Uint8Array, from: number, to: number): number {
    this.reserve(to - from);
    const at = this.used;
    copyBytes(src, from, to, this.bytes, at);
    this.used += to - from;
    return at;
  }

  /** Appends the bytes of `src` with A-Z lower-cased. */
  copyLower(src: Uint8Array, from: number, to: number): number {
    const at = this.copy(src, from, to);
    const b = this.bytes;
    for (let i = at; i < this.used; i++) if (b[i] >= 0x41 && b[i] <= 0x5a) b[i] |= 0x20;
    return at;
  }

  put(text: string): { at: number; len: number } {
    const bytes = Buffer.from(text, 'utf8');
    return { at: this.copy(bytes, 0, bytes.length), len: bytes.length };
  }

  text(at: number, len: number): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + at, len).toString('utf8');
  }
}

/** Copies bytes [from, to) of `src` to `out` at `at`; a loop beats a subarray view for a UPN's few bytes. */
export function copyBytes(src: Uint8Array, from: number, to: number, out: Uint8Array, at: number): void {
  if (to - from > 64) out.set(src.subarray(from, to), at);
  else for (let i = from; i < to; i++) out[at++] = src[i];
}

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a of bytes [at, at + len): the hash of every text key. */
export function hashBytes(b: Uint8Array, at: number, len: number): number {
  let h = FNV_OFFSET;
  for (let i = at, end = at + len; i < end; i++) h = Math.imul(h ^ b[i], FNV_PRIME);
  return h | 0;
}

export function sameBytes(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[aAt + i] !== b[bAt + i]) return false;
  return true;
}

/** What a GUID cell held. Only GUID cells have bytes. */
export const enum GuidKind {
  Empty = 0,
  Guid = 1,
}

/** What a cloud ImmutableID cell held: nothing, a GUID's Base64 (kept as its bytes), other text. */
export const enum IdKind {
  Empty = 0,
  Guid = 1,
  Other = 2,
}

export const enum Anchor {
  None = 0,
  ObjectGuid = 1,
  ConsistencyGuid = 2,
}

export const ANCHOR_ATTRIBUTES: readonly (AnchorAttribute | undefined)[] = [undefined, 'objectGUID', 'mS-DS-ConsistencyGuid'];

function grown<T extends Int32Array | Uint8Array>(a: T, size: number): T {
  const b = (a instanceof Int32Array ? i32(size) : u8(size)) as T;
  b.set(a);
  return b;
}

const OPTIONAL_SHARED = ['proxyAt', 'proxyLen', 'mailAt', 'mailLen'];

/** Columns both sides share: where each row starts in its file, its UPN and its join key. */
abstract class Table {
  count = 0;
  capacity = 1024;
  readonly arena = new Arena();
  line = i32(this.capacity);
  upnAt = i32(this.capacity);
  upnLen = i32(this.capacity);
  /** The trimmed, lower-cased UPN; the same bytes as the UPN when it has no capitals. */
  keyAt = i32(this.capacity);
  keyLen = i32(this.capacity);
  keyHash = i32(this.capacity);
  /** Rows that cannot be used, by row number: rare, so kept as objects. */
  readonly invalid = new Map<number, Invalid>();

  /** Starts a row and returns its number; the caller fills its columns. */
  add(line: number): number {
    if (this.count === this.capacity) this.grow(this.capacity * 2);
    this.line[this.count] = line;
    return this.count++;
  }

  /**
   * Sizes the columns for a file of `fileBytes`: rows of 48 bytes or more, text no more than the
   * file (a cloud export is mostly text the table keeps: UPN, object id, addresses). Pages never
   * written are never touched, so room not used costs address space, not memory; growing instead
   * would copy every column and leave the old ones as garbage (at 1M users the cloud text
   * outgrew half its file, and the copy cost 64 MB at the peak).
   */
  expect(fileBytes: number): this {
    const rows = Math.ceil(fileBytes / 48);
    if (rows > this.capacity) this.grow(rows);
    this.arena.reserve(fileBytes);
    return this;
  }

  /** Every column keeps its width per row (16 or 32 bytes for GUID columns, 0 for an optional column not in use). */
  private grow(size: number): void {
    const self = this as unknown as Record<string, Int32Array | Uint8Array>;
    for (const name of this.columnNames()) self[name] = grown(self[name], (self[name].length / this.capacity) * size);
    this.capacity = size;
  }

  /**
   * Gives optional columns (empty until then) one slot per row, for a file that has them. A
   * file without them pays neither memory nor time for them.
   */
  protected use(names: readonly string[]): void {
    const self = this as unknown as Record<string, Int32Array | Uint8Array>;
    for (const name of names) self[name] = self[name] instanceof Int32Array ? i32(this.capacity) : u8(this.capacity);
  }

  protected columnNames(): string[] {
    return ['line', 'upnAt', 'upnLen', 'keyAt', 'keyLen', 'keyHash', ...OPTIONAL_SHARED];
  }

  /**
   * The proxyAddresses and mail cells as read: soft match and address conflicts read them, and
   * only when both files have addresses (see addressIndexes), so a run without them pays a copy.
   */
  proxyAt = i32(0);
  proxyLen = i32(0);
  mailAt = i32(0);
  mailLen = i32(0);
  /** True once the file has a mail or proxyAddresses column. */
  hasAddresses = false;

  useAddresses(): void {
    this.use(OPTIONAL_SHARED);
    this.hasAddresses = true;
  }

  text(at: Int32Array, len: Int32Array, i: number): string {
    return at.length === 0 ? '' : this.arena.text(at[i], len[i]);
  }

  upn(i: number): string {
    return this.arena.text(this.upnAt[i], this.upnLen[i]);
  }
}

export class OnpremTable extends Table {
  /** objectGUID's stored bytes at row * 32, mS-DS-ConsistencyGuid's at row * 32 + 16. */
  guids = u8(this.capacity * 32);
  objectGuidKind = u8(this.capacity);
  consistencyGuidKind = u8(this.capacity);
  /** Which attribute is the row's source anchor; None for an invalid row. */
  anchor = u8(this.capacity);
  /** isCriticalSystemObject, 1 when true; empty unless the file has the column. */
  critical = u8(0);
  hasCritical = false;

  protected override columnNames(): string[] {
    return [...super.columnNames(), 'guids', 'objectGuidKind', 'consistencyGuidKind', 'anchor', 'critical'];
  }

  useCritical(): void {
    this.use(['critical']);
    this.hasCritical = true;
  }

  /** Where in `guids` the row's expected ImmutableID (as bytes) is; -1 when it has none. */
  anchorAt(i: number): number {
    const a = this.anchor[i];
    return a === Anchor.None ? -1 : i * 32 + (a === Anchor.ConsistencyGuid ? 16 : 0);
  }

  /** The bytes of the anchor attribute the row does not use, or -1. */
  otherAnchorAt(i: number): number {
    const a = this.anchor[i];
    if (a === Anchor.ConsistencyGuid) return this.objectGuidKind[i] === GuidKind.Guid ? i * 32 : -1;
    return this.consistencyGuidKind[i] === GuidKind.Guid ? i * 32 + 16 : -1;
  }
}

/** How a row's object id is kept. */
export const enum ObjectId {
  /** As text in the arena (any spelling but lower-case display form, or none). */
  Text = 0,
  /** As its 16 stored bytes in objectIds. */
  Bytes = 1,
}

/**
 * Where a text value is in the arena, kept in the 16 bytes per row of a GUID column when the row's
 * value is not a GUID (the bytes are free then): 8 bytes a row in two columns saved, 12 MB at a
 * million users, for values that are rare (object ids as Graph does not write them, Okta's and
 * other non-GUID ImmutableIDs).
 */
function putSpan(b: Uint8Array, p: number, at: number, len: number): void {
  b[p] = at;
  b[p + 1] = at >>> 8;
  b[p + 2] = at >>> 16;
  b[p + 3] = at >>> 24;
  b[p + 4] = len;
  b[p + 5] = len >>> 8;
  b[p + 6] = len >>> 16;
  b[p + 7] = len >>> 24;
}

const int32At = (b: Uint8Array, p: number): number => b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);

export class CloudTable extends Table {
  objectIdKind = u8(this.capacity);
  /**
   * A lower-case display-form GUID object id (as Graph writes every one) as its stored bytes at
   * row * 16: 16 bytes instead of 36 of text, 20 MB less at a million users. Any other object
   * id is text: where it is (objectIdTextAt), in the same 16 bytes.
   */
  objectIds = u8(this.capacity * 16);
  idKind = u8(this.capacity);
  /** The ImmutableID's 16 bytes at row * 16 when it is a GUID's Base64; any other ImmutableID is text, where it is in the same bytes (otherIdAt). */
  ids = u8(this.capacity * 16);
  /** 0 empty, 1 true, 2 false. */
  sync = u8(this.capacity);
  /** The directoryRoles cell as read; Role.Active and Role.Eligible bits of what it lists. */
  rolesAt = i32(0);
  rolesLen = i32(0);
  roles = u8(0);
  /** privilegedRole: 0 unknown (empty), 1 True, 2 False. */
  privileged = u8(0);
  hasRoles = false;
  /** onPremisesObjectIdentifier, lower-cased, without braces. */
  objIdentAt = i32(0);
  objIdentLen = i32(0);
  hasObjectIdentifier = false;
  /** 1 when onPremisesProvisioningErrors record a UserPrincipalName conflict. */
  upnConflict = u8(0);
  hasProvisioningErrors = false;

  protected override columnNames(): string[] {
    return [
      ...super.columnNames(),
      ...['objectIdKind', 'objectIds', 'idKind', 'ids', 'sync'],
      ...['rolesAt', 'rolesLen', 'roles', 'privileged', 'objIdentAt', 'objIdentLen', 'upnConflict'],
    ];
  }

  /** An object id kept as text: bytes [at, at + len) of the arena. */
  setObjectIdText(i: number, at: number, len: number): void {
    this.objectIdKind[i] = ObjectId.Text;
    putSpan(this.objectIds, i * 16, at, len);
  }

  objectIdTextAt(i: number): number {
    return int32At(this.objectIds, i * 16);
  }

  objectIdTextLen(i: number): number {
    return int32At(this.objectIds, i * 16 + 4);
  }

  /** An ImmutableID of kind IdKind.Other: bytes [at, at + len) of the arena. */
  setOtherId(i: number, at: number, len: number): void {
    putSpan(this.ids, i * 16, at, len);
  }

  otherIdAt(i: number): number {
    return int32At(this.ids, i * 16);
  }

  otherIdLen(i: number): number {
    return int32At(this.ids, i * 16 + 4);
  }

  useRoles(): void {
    this.use(['rolesAt', 'rolesLen', 'roles', 'privileged']);
    this.hasRoles = true;
  }

  useObjectIdentifier(): void {
    this.use(['objIdentAt', 'objIdentLen']);
    this.hasObjectIdentifier = true;
  }

  useProvisioningErrors(): void {
    this.use(['upnConflict']);
    this.hasProvisioningErrors = true;
  }
}

export const enum Role {
  Active = 1,
  Eligible = 2,
}

/**
 * Every e-mail address a row holds, and its primary one: the `SMTP:` value of proxyAddresses,
 * else mail. Addresses on *.onmicrosoft.com are left out: Entra ID does not match on them.
 */
export function addressesOf(proxyAddresses: string, mail: string): { primary: string; all: string[] } {
  let primary = '';
  const all: string[] = [];
  for (const part of proxyAddresses.split(';')) {
    const value = part.trim();
    if (!/^smtp:/i.test(value)) continue;
    const address = value.slice(5).trim().toLowerCase();
    if (!address || address.endsWith('.onmicrosoft.com')) continue;
    if (value.startsWith('SMTP:') && !primary) primary = address;
    if (!all.includes(address)) all.push(address);
  }
  const m = mail.trim().toLowerCase();
  if (m && !m.endsWith('.onmicrosoft.com')) {
    if (!primary) primary = m;
    if (!all.includes(m)) all.push(m);
  }
  return { primary, all };
}

/**
 * The cloud users' addresses, one entry per address, found by the address: Entra ID keeps
 * proxy addresses and mail unique across the tenant, so an on-prem address already taken
 * by a cloud user that is not matched is a conflict. Built only when the export has addresses.
 */
export class AddressList {
  readonly arena = new Arena();
  count = 0;
  at = i32(256);
  len = i32(256);
  hash = i32(256);
  /** The cloud row that holds the address. */
  row = i32(256);
  index = new KeyIndex(0, this.arena.bytes, this.at, this.len, this.hash);

  add(address: string, row: number): void {
    if (this.count === this.at.length) {
      const size = this.count * 2;
      this.at = grown(this.at, size);
      this.len = grown(this.len, size);
      this.hash = grown(this.hash, size);
      this.row = grown(this.row, size);
    }
    const put = this.arena.put(address);
    this.at[this.count] = put.at;
    this.len[this.count] = put.len;
    this.hash[this.count] = hashBytes(this.arena.bytes, put.at, put.len);
    this.row[this.count++] = row;
  }

  build(): void {
    this.index = new KeyIndex(this.count, this.arena.bytes, this.at, this.len, this.hash);
    this.index.addAll();
  }

  /** The cloud row holding `address` (lower-case), or -1. */
  holder(address: string): number {
    const b = Buffer.from(address, 'utf8');
    const e = this.index.find(b, 0, b.length, hashBytes(b, 0, b.length));
    return e < 0 ? -1 : this.row[e];
  }
}

/**
 * Rows by a key, first occurrence kept, with the keys seen more than once flagged on that first
 * row. Open addressing over a power-of-two Int32Array: four bytes a slot, so the slots of a
 * million keys stay in the cache while they are built. A slot holds row + 1 in its low bits and
 * the key hash's high bits above them, so a probe passing another key almost never reads that
 * key's row (a random read of the table's columns). Only typed arrays, so it moves between
 * threads with its table. The subclasses know where their keys lie: no callbacks, so V8 inlines it all.
 */
abstract class Slots {
  protected readonly slots: Int32Array;
  protected readonly mask: number;
  /** The bits of a slot that hold row + 1. */
  protected readonly rowMask: number;
  /**
   * A byte per row: ADDED once the row is in, with LATER when an earlier row has its key, and
   * REPEATED on every row of a key that more than one row has. One byte where the first row of
   * each row's key took four more (16 MB for the four indexes at a million users); the first
   * row of a later one is found again when asked (firstOf), which only tests do.
   */
  protected readonly rowState: Uint8Array;

  constructor(rows: number) {
    let size = 1024;
    while (size < rows * 2) size *= 2;
    this.slots = i32(size);
    this.mask = size - 1;
    this.rowMask = rows === 0 ? 0 : -1 >>> Math.clz32(rows);
    this.rowState = u8(rows);
  }

  /** Whether another row has the row's key. */
  isRepeated(row: number): boolean {
    return (this.rowState[row] & REPEATED) !== 0;
  }

  /** Whether the row is the first with its key (false for a row not added). */
  isFirst(row: number): boolean {
    return (this.rowState[row] & (ADDED | LATER)) === ADDED;
  }

  /** The first row with the row's key (itself, mostly); -1 for a row not added. */
  firstOf(row: number): number {
    const state = this.rowState[row];
    return state === 0 ? -1 : state & LATER ? this.findRow(row) : row;
  }

  /** The first row with the key of `row`. */
  protected abstract findRow(row: number): number;

  /** Notes a row whose key no earlier row has. */
  protected added(row: number): void {
    this.rowState[row] = ADDED;
  }

  /** Notes a row whose key `first` has. */
  protected addedAgain(row: number, first: number): void {
    this.rowState[first] |= REPEATED;
    this.rowState[row] = ADDED | LATER | REPEATED;
  }
}

const ADDED = 1;
const LATER = 2;
const REPEATED = 4;

/** Rows by a text key: bytes [at[row], at[row] + len[row]) of `bytes`, its hash (hashBytes) in hash[row]. */
export class KeyIndex extends Slots {
  /** What addAll read ahead, or-ed: stored, so that the compiler cannot drop those reads as unused. */
  touched = 0;

  constructor(
    rows: number,
    private readonly bytes: Uint8Array,
    private readonly at: Int32Array,
    private readonly len: Int32Array,
    private readonly hash: Int32Array,
  ) {
    super(rows);
  }

  /**
   * Adds every row whose key is not empty, in order. A group's slots are read first, their cache
   * misses all at once, then its rows put in; one row after another would wait for each miss.
   */
  addAll(): void {
    const rows = this.rowState.length;
    for (let from = 0; from < rows; from += 32) {
      const to = Math.min(rows, from + 32);
      let held = 0;
      for (let i = from; i < to; i++) held |= this.slots[this.hash[i] & this.mask];
      this.touched = held;
      for (let i = from; i < to; i++) if (this.len[i] > 0) this.add(i);
    }
  }

  /** Adds a row whose key is not empty. */
  add(row: number): void {
    const hash = this.hash[row];
    const tag = hash & ~this.rowMask;
    const at = this.at[row];
    const len = this.len[row];
    let s = hash & this.mask;
    for (;;) {
      const held = this.slots[s];
      if (held === 0) {
        this.slots[s] = (row + 1) | tag;
        this.added(row);
        return;
      }
      const other = (held & this.rowMask) - 1;
      if ((held ^ tag) >>> 0 <= this.rowMask && this.len[other] === len && sameBytes(this.bytes, this.at[other], this.bytes, at, len)) {
        this.addedAgain(row, other);
        return;
      }
      s = (s + 1) & this.mask;
    }
  }

  /**
   * find() for the rows [from, to) of another table's keys (its text, starts, lengths, hashes),
   * into out[0, to - from); -1 for an empty key. In passes over the rows: each pass's reads (the
   * slots, then the rows they name, then the first and last bytes of those rows' keys, then the
   * rest of the key bytes) are independent of one another, so the processor overlaps their cache
   * misses, where one find() after another waits for each in turn. A row whose first slot is not
   * plainly its key is left to find().
   */
  findAll(b: Uint8Array, keyAt: Int32Array, keyLen: Int32Array, keyHash: Int32Array, from: number, to: number, out: Int32Array): void {
    const n = to - from;
    const { slots, mask, rowMask, at, len } = this;
    for (let i = 0; i < n; i++) out[i] = slots[keyHash[from + i] & mask];
    for (let i = 0; i < n; i++) {
      const held = out[i];
      const k = from + i;
      const row = (held & rowMask) - 1;
      // -1: no such key; -2: find() decides; else the row whose key to compare.
      if (keyLen[k] === 0 || held === 0) out[i] = -1;
      else if (((held ^ (keyHash[k] & ~rowMask)) >>> 0) > rowMask || len[row] !== keyLen[k]) out[i] = -2;
      else out[i] = row;
    }
    // A key's ends bring all of it into the cache (it spans a line or two), for the comparisons below.
    for (let i = 0; i < n; i++) {
      const row = out[i];
      if (row < 0) continue;
      const q = keyAt[from + i];
      const last = len[row] - 1;
      if (this.bytes[at[row]] !== b[q] || this.bytes[at[row] + last] !== b[q + last]) out[i] = -2;
    }
    for (let i = 0; i < n; i++) {
      const row = out[i];
      if (row === -1) continue;
      const k = from + i;
      if (row === -2 || !sameBytes(this.bytes, at[row], b, keyAt[k], keyLen[k])) out[i] = this.find(b, keyAt[k], keyLen[k], keyHash[k]);
    }
  }

  protected findRow(row: number): number {
    return this.find(this.bytes, this.at[row], this.len[row], this.hash[row]);
  }

  /** The first row whose key is bytes [at, at + len) of `b`, `hash` its hashBytes; -1 when none is. */
  find(b: Uint8Array, at: number, len: number, hash: number): number {
    const tag = hash & ~this.rowMask;
    let s = hash & this.mask;
    for (;;) {
      const held = this.slots[s];
      if (held === 0) return -1;
      const row = (held & this.rowMask) - 1;
      if ((held ^ tag) >>> 0 <= this.rowMask && this.len[row] === len && sameBytes(this.bytes, this.at[row], b, at, len)) return row;
      s = (s + 1) & this.mask;
    }
  }
}

/**
 * The local parts of the on-prem UPNs (before the first @), lower-cased, to tell a quarantined
 * copy's UPN from any other. An index over the bytes of the join keys (an ASCII UPN's key is its
 * lower-cased bytes), not a set of strings: a million strings cost 55 to 80 MB and 0.6 s, on
 * each thread, as soon as one cloud UPN looked quarantined. A non-ASCII UPN is lower-cased as text
 * (toLowerCase can make ASCII of it, K of the Kelvin sign), so those few go in a set of strings.
 */
export class LocalParts {
  private readonly index: KeyIndex;
  private readonly other = new Set<string>();

  constructor(on: OnpremTable) {
    const len = new Int32Array(on.count);
    const hash = new Int32Array(on.count);
    const b = on.arena.bytes;
    for (let o = 0; o < on.count; o++) {
      const at = on.upnAt[o];
      const end = at + on.upnLen[o];
      let ascii = true;
      let local = end;
      for (let i = at; i < end; i++) {
        if (b[i] >= 0x80) ascii = false;
        else if (b[i] === 0x40 && local === end) local = i;
      }
      if (!ascii) this.other.add(on.upn(o).toLowerCase().split('@')[0]);
      else if (local > at) {
        len[o] = local - at;
        hash[o] = hashBytes(b, on.keyAt[o], len[o]);
      }
    }
    this.index = new KeyIndex(on.count, b, on.keyAt, len, hash);
    this.index.addAll();
  }

  /** Whether an on-prem UPN has this local part (lower-case). */
  has(local: string): boolean {
    if (this.other.has(local)) return true;
    const bytes = Buffer.from(local, 'utf8');
    return bytes.length === local.length && this.index.find(bytes, 0, bytes.length, hashBytes(bytes, 0, bytes.length)) >= 0;
  }
}

/**
 * A GUID's 16 bytes at `at` hashed: its four words mixed, then murmur3's finaliser, so GUIDs
 * that differ in one byte (sequential ones) still spread over the slots; a few multiplications
 * where FNV-1a needs sixteen in a row.
 */
export function hashGuid(b: Uint8Array, at: number): number {
  const w0 = b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
  const w1 = b[at + 4] | (b[at + 5] << 8) | (b[at + 6] << 16) | (b[at + 7] << 24);
  const w2 = b[at + 8] | (b[at + 9] << 8) | (b[at + 10] << 16) | (b[at + 11] << 24);
  const w3 = b[at + 12] | (b[at + 13] << 8) | (b[at + 14] << 16) | (b[at + 15] << 24);
  let h = Math.imul(w0, 0x9e3779b1) ^ Math.imul(w1, 0x85ebca77) ^ Math.imul(w2, 0xc2b2ae3d) ^ Math.imul(w3, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Rows by a 16-byte GUID key, read where it lies: on-prem rows' at row * 32, + 16 where
 * anchor[row] is ConsistencyGuid (OnpremTable.anchorAt), none where it is None; cloud rows' (`anchor`
 * null) at row * 16 of `bytes`, where idKind[row] is Guid.
 */
export class GuidIndex extends Slots {
  constructor(
    rows: number,
    private readonly bytes: Uint8Array,
    private readonly anchor: Uint8Array | null,
    private readonly idKind: Uint8Array | null = null,
  ) {
    super(rows);
  }

  private keyAt(row: number): number {
    const anchor = this.anchor;
    return anchor === null ? row * 16 : row * 32 + (anchor[row] === Anchor.ConsistencyGuid ? 16 : 0);
  }

  private hasKey(row: number): boolean {
    return this.anchor === null ? this.idKind![row] === IdKind.Guid : this.anchor[row] !== Anchor.None;
  }

  /**
   * Adds every row that has a key, in order. A group's hashes are worked out first and its rows
   * then put in: apart, the slots' cache misses of one group overlap, where each row's hash
   * arithmetic would hold them back.
   */
  addAll(): void {
    const hashes = new Int32Array(1024);
    const rows = this.rowState.length;
    for (let from = 0; from < rows; from += hashes.length) {
      const to = Math.min(rows, from + hashes.length);
      for (let i = from; i < to; i++) if (this.hasKey(i)) hashes[i - from] = hashGuid(this.bytes, this.keyAt(i));
      for (let i = from; i < to; i++) if (this.hasKey(i)) this.add(i, hashes[i - from]);
    }
  }

  /** Adds a row that has a key, `hash` its hashGuid. */
  add(row: number, hash = hashGuid(this.bytes, this.keyAt(row))): void {
    const at = this.keyAt(row);
    const tag = hash & ~this.rowMask;
    let s = hash & this.mask;
    for (;;) {
      const held = this.slots[s];
      if (held === 0) {
        this.slots[s] = (row + 1) | tag;
        this.added(row);
        return;
      }
      const other = (held & this.rowMask) - 1;
      if ((held ^ tag) >>> 0 <= this.rowMask && sameBytes(this.bytes, this.keyAt(other), this.bytes, at, 16)) {
        this.addedAgain(row, other);
        return;
      }
      s = (s + 1) & this.mask;
    }
  }

  protected findRow(row: number): number {
    return this.find(this.bytes, this.keyAt(row));
  }

  /** The first row whose key is the 16 bytes at `at` of `b`, or -1. */
  find(b: Uint8Array, at: number): number {
    const hash = hashGuid(b, at);
    const tag = hash & ~this.rowMask;
    let s = hash & this.mask;
    for (;;) {
      const held = this.slots[s];
      if (held === 0) return -1;
      const row = (held & this.rowMask) - 1;
      if ((held ^ tag) >>> 0 <= this.rowMask && sameBytes(this.bytes, this.keyAt(row), b, at, 16)) return row;
      s = (s + 1) & this.mask;
    }
  }
}

/** A table's rows by UPN key (rows with an empty key left out). */
function upnIndex(t: OnpremTable | CloudTable): KeyIndex {
  const index = new KeyIndex(t.count, t.arena.bytes, t.keyAt, t.keyLen, t.keyHash);
  index.addAll();
  return index;
}

/** On-prem rows by UPN key and by anchor. */
export function onpremIndexes(on: OnpremTable): { byUpn: KeyIndex; byAnchor: GuidIndex } {
  const byAnchor = new GuidIndex(on.count, on.guids, on.anchor);
  byAnchor.addAll();
  return { byUpn: upnIndex(on), byAnchor };
}

export interface CloudIndexes {
  byUpn: KeyIndex;
  byId: GuidIndex;
  /** When the table keeps addresses (reconcile keeps them only when both exports have them). */
  addresses: { primary: AddressList; all: AddressList } | undefined;
}

/** Cloud rows by UPN key, by ImmutableID where that is a GUID, and by address when the table keeps them. */
export function cloudIndexes(cl: CloudTable): CloudIndexes {
  const byId = new GuidIndex(cl.count, cl.ids, null, cl.idKind);
  byId.addAll();
  return { byUpn: upnIndex(cl), byId, addresses: cl.hasAddresses ? addressIndexes(cl) : undefined };
}

/** The cloud users by primary SMTP address, and by every address they hold. */
export function addressIndexes(cl: CloudTable): { primary: AddressList; all: AddressList } {
  const primary = new AddressList();
  const all = new AddressList();
  for (let i = 0; i < cl.count; i++) {
    const found = addressesOf(cl.text(cl.proxyAt, cl.proxyLen, i), cl.text(cl.mailAt, cl.mailLen, i));
    if (found.primary) primary.add(found.primary, i);
    for (const a of found.all) all.add(a, i);
  }
  primary.build();
  all.build();
  return { primary, all };
}
