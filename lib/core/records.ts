/**
 * One export row into the tables: validates the cells and derives the source anchor the way
 * Entra Connect does. Pure; the only exception is an ambiguous GUID spelling, which no per-row
 * verdict can fix and so stops the run.
 *
 * Cells are read as bytes where they are plain ASCII (nearly every cell of a real export) and as
 * text otherwise, through the same rules: lib/core/anchor.ts for every GUID spelling, JavaScript's
 * own trim and the ASCII case fold of lib/core/upn.ts for UPNs. A cell idrecon guarded against
 * spreadsheet formulas (="...", always quoted, so never on the byte path) is read as its value.
 */
import { IdreconError } from '../errors';
import { unguardCell } from './cell-guard';
import { type AnchorCell, type HexOrder, parseAnchor } from './anchor';
import type { AnchorAttribute, Invalid } from './statuses';
import { readDisplayGuid, readImmutableId, readLowerDisplayGuid } from './guid';
import { foldUpn } from './upn';
import { Anchor, type CloudTable, FNV_OFFSET, FNV_PRIME, GuidKind, IdKind, ObjectId, type OnpremTable, Role, hashBytes } from './tables';

export type SourceAnchor = 'auto' | AnchorAttribute;

/** A cell value and the header it came from, for messages. */
export interface Cell {
  column: string;
  value: string;
}

/** A record as the CSV reader gives it: field i is bytes [starts[i], ends[i]) of `buf`. */
export interface FieldBytes {
  buf: Uint8Array;
  line: number;
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  /** 1 where the field holds doubled quotes, which text() undoes. */
  escaped: Uint8Array;
  text(i: number): string;
}

/** Where each needed column is in the file: its index, and its header for messages. */
export interface ColumnAt {
  index: number;
  name: string;
}

export interface OnpremOptions {
  sourceAnchor: SourceAnchor;
  hexOrder: HexOrder | undefined;
}

const REEXPORT_HINT =
  "re-export with the value converted, e.g. Select-Object UserPrincipalName,ObjectGUID,@{n='mS-DS-ConsistencyGuid';e={if($_.'mS-DS-ConsistencyGuid'){[guid]$_.'mS-DS-ConsistencyGuid'}}}";

/** A row must have the header's fields; more are allowed only if empty (Excel's trailing commas). */
function shapeProblem(r: FieldBytes, headerCount: number): Invalid | undefined {
  let fits = r.count >= headerCount;
  for (let i = headerCount; fits && i < r.count; i++) fits = r.ends[i] === r.starts[i];
  if (fits) return undefined;
  return {
    reason: 'field-count',
    column: '',
    value: `${r.count} fields`,
    message: `the row has ${r.count} fields but the header has ${headerCount}; a line break or delimiter inside an unquoted value usually causes this: fix the row or re-export`,
  };
}

const PROXY_HINT = "re-export with the values joined, e.g. Select-Object UserPrincipalName,ObjectGUID,mail,@{n='proxyAddresses';e={$_.proxyAddresses -join ';'}}";

/** A multi-valued attribute exported naively: the type name is in the cell, not the values. */
function addressProblem(column: string, value: string): Invalid | undefined {
  if (!/^System\.String\[\]$|ADPropertyValueCollection|^System\.Object\[\]$/.test(value)) return undefined;
  return {
    reason: 'binary-export',
    column,
    value,
    message: `'${value}' is what Export-Csv writes for a multi-valued attribute: the addresses are not in the file; ${PROXY_HINT}`,
  };
}

function upnProblem(column: string): Invalid {
  return { reason: 'empty-upn', column, value: '', message: 'the UPN is empty, so the row cannot be joined; give the user a UPN or leave the row out' };
}

function anchorProblem(cell: Cell, parsed: AnchorCell): Invalid | undefined {
  switch (parsed.kind) {
    case 'guid':
      return undefined;
    case 'binary-export':
      return {
        reason: 'binary-export',
        column: cell.column,
        value: cell.value,
        message: `'${cell.value}' is what Export-Csv writes for a binary or multi-valued attribute: the value is not in the file; ${REEXPORT_HINT}`,
      };
    case 'empty':
      return { reason: 'bad-anchor', column: cell.column, value: '', message: `${cell.column} is empty, so there is no source anchor` };
    case 'not-16-bytes':
      return {
        reason: 'bad-anchor',
        column: cell.column,
        value: cell.value,
        message: `${cell.column} holds ${parsed.bytes} bytes, not the 16 of a GUID, so it is not a GUID source anchor; check who wrote it (a custom anchor?)`,
      };
    default:
      return {
        reason: 'bad-anchor',
        column: cell.column,
        value: cell.value,
        message: `'${cell.value}' is not a GUID in any spelling idrecon knows (GUID, X'hex', Base64, LDAP escape); check the export`,
      };
  }
}


const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

const EMPTY_CELL: AnchorCell = { kind: 'empty' };
/** A display-form GUID read straight from bytes: its bytes are already in the table. */
const GUID_CELL: AnchorCell = { kind: 'guid', raw: new Uint8Array(16), spelling: 'guid' };

/** Reads cells of one file into a table. */
abstract class RowReader {
  /** The trimmed cell asciiTrim() found: bytes [from, to) of the record. */
  protected from = 0;
  protected to = 0;

  constructor(
    protected readonly file: string,
    protected readonly headerCount: number,
  ) {}

  /** Cell i as text, the formula guard undone (lib/core/cell-guard.ts). */
  protected text(r: FieldBytes, i: number): string {
    return unguardCell(r.text(i));
  }

  /** Trims cell i as bytes; false when it must be read as text (doubled quotes, or a non-ASCII byte at an edge, which may be Unicode white space). */
  protected asciiTrim(r: FieldBytes, i: number): boolean {
    if (i >= r.count) {
      this.from = this.to = 0;
      return true;
    }
    if (r.escaped[i]) return false;
    const b = r.buf;
    let from = r.starts[i];
    let to = r.ends[i];
    while (from < to && isSpace(b[from])) from++;
    while (to > from && isSpace(b[to - 1])) to--;
    if (from < to && (b[from] >= 0x80 || b[to - 1] >= 0x80)) return false;
    this.from = from;
    this.to = to;
    return true;
  }

  /** The UPN and its join key: trimmed, and case-folded as Entra compares UPNs (lib/core/upn.ts). */
  protected setUpn(t: OnpremTable | CloudTable, row: number, r: FieldBytes, i: number): void {
    const a = t.arena;
    if (this.asciiTrim(r, i)) {
      const b = r.buf;
      const from = this.from;
      const len = this.to - from;
      // One pass copies the UPN into the arena's free room (kept only if it is ASCII), notes capitals and hashes the key.
      a.reserve(len * 2);
      const out = a.bytes;
      const at = a.used;
      let seen = 0;
      let upper = false;
      let hash = FNV_OFFSET;
      for (let k = 0; k < len; k++) {
        const c = b[from + k];
        out[at + k] = c;
        seen |= c;
        const capital = c >= 0x41 && c <= 0x5a;
        upper ||= capital;
        hash = Math.imul(hash ^ (capital ? c | 0x20 : c), FNV_PRIME);
      }
      if (seen < 0x80) {
        a.used += len;
        t.upnAt[row] = at;
        t.upnLen[row] = t.keyLen[row] = len;
        t.keyAt[row] = upper ? a.copyLower(out, at, at + len) : at;
        t.keyHash[row] = hash | 0;
        return;
      }
    }
    const upn = this.text(r, i).trim();
    const key = foldUpn(upn);
    const u = a.put(upn);
    const k = key === upn ? u : a.put(key);
    t.upnAt[row] = u.at;
    t.upnLen[row] = u.len;
    t.keyAt[row] = k.at;
    t.keyLen[row] = k.len;
    t.keyHash[row] = hashBytes(a.bytes, k.at, k.len);
  }

  /** The mail and proxyAddresses cells; a problem when proxyAddresses holds a type name instead of the addresses. */
  protected addresses(t: OnpremTable | CloudTable, r: FieldBytes, row: number, mail: ColumnAt | undefined, proxy: ColumnAt | undefined): Invalid | undefined {
    // Not kept (the other export has no addresses): still checked, so the same rows are rejected.
    if (!t.hasAddresses) {
      const text = proxy ? this.text(r, proxy.index).trim() : '';
      return text ? addressProblem(proxy!.name, text) : undefined;
    }
    this.putTrimmed(t, r, proxy?.index, row, t.proxyAt, t.proxyLen);
    this.putTrimmed(t, r, mail?.index, row, t.mailAt, t.mailLen);
    return proxy && t.proxyLen[row] > 0 ? addressProblem(proxy.name, t.text(t.proxyAt, t.proxyLen, row)) : undefined;
  }

  /** A True/False cell, any case: 1 true, 2 false, 0 empty or anything else. */
  protected bool(r: FieldBytes, i: number | undefined): number {
    if (i === undefined || (this.asciiTrim(r, i) && this.from === this.to)) return 0;
    const v = this.text(r, i).trim().toLowerCase();
    return v === 'true' ? 1 : v === 'false' ? 2 : 0;
  }

  /** Where keep() put the cell in the arena, and its length. */
  protected keptAt = 0;
  protected keptLen = 0;

  /** Copies trimmed cell i into the arena, noting where in at[row] and its length in len[row]. */
  protected putTrimmed(t: OnpremTable | CloudTable, r: FieldBytes, i: number | undefined, row: number, at: Int32Array, len: Int32Array): void {
    this.keep(t, r, i);
    at[row] = this.keptAt;
    len[row] = this.keptLen;
  }

  /** Copies trimmed cell i (none: empty) into the arena, noting where in keptAt and its length in keptLen. */
  protected keep(t: OnpremTable | CloudTable, r: FieldBytes, i: number | undefined): void {
    if (i === undefined) {
      this.keptAt = this.keptLen = 0;
    } else if (this.asciiTrim(r, i)) {
      this.keptAt = t.arena.copy(r.buf, this.from, this.to);
      this.keptLen = this.to - this.from;
    } else {
      const put = t.arena.put(this.text(r, i).trim());
      this.keptAt = put.at;
      this.keptLen = put.len;
    }
  }
}

export interface OnpremColumns {
  upn: ColumnAt;
  objectGuid: ColumnAt | undefined;
  consistencyGuid: ColumnAt | undefined;
  mail?: ColumnAt;
  proxyAddresses?: ColumnAt;
  critical?: ColumnAt;
}

export class OnpremRows extends RowReader {
  constructor(
    readonly table: OnpremTable,
    file: string,
    headerCount: number,
    private readonly columns: OnpremColumns,
    private readonly opts: OnpremOptions,
    /** Keep mail and proxyAddresses (soft match reads them when both exports have them); they are checked either way. */
    keepAddresses = true,
  ) {
    super(file, headerCount);
    if (keepAddresses && (columns.mail || columns.proxyAddresses)) table.useAddresses();
    if (columns.critical) table.useCritical();
  }

  add(r: FieldBytes): void {
    const t = this.table;
    const row = t.add(r.line);
    const { upn, objectGuid, consistencyGuid } = this.columns;
    this.setUpn(t, row, r, upn.index);
    const og = this.guid(r, objectGuid, row * 32);
    const cg = this.guid(r, consistencyGuid, row * 32 + 16);
    t.objectGuidKind[row] = og.kind === 'guid' ? GuidKind.Guid : GuidKind.Empty;
    t.consistencyGuidKind[row] = cg.kind === 'guid' ? GuidKind.Guid : GuidKind.Empty;
    const source = this.opts.sourceAnchor;
    const attribute: AnchorAttribute = source === 'auto' ? (consistencyGuid && cg.kind !== 'empty' ? 'mS-DS-ConsistencyGuid' : 'objectGUID') : source;
    // Two choices, not a pair destructured: that pair was an array made for every row.
    const column = attribute === 'objectGUID' ? objectGuid : consistencyGuid;
    const parsed = attribute === 'objectGUID' ? og : cg;
    const invalid =
      shapeProblem(r, this.headerCount) ??
      (t.upnLen[row] === 0 ? upnProblem(upn.name) : undefined) ??
      (parsed.kind === 'guid' ? undefined : anchorProblem({ column: column?.name ?? attribute, value: column ? this.text(r, column.index) : '' }, parsed)) ??
      (this.columns.mail || this.columns.proxyAddresses ? this.addresses(t, r, row, this.columns.mail, this.columns.proxyAddresses) : undefined);
    if (t.hasCritical) t.critical[row] = Number(this.bool(r, this.columns.critical?.index) === 1);
    if (invalid) t.invalid.set(row, invalid);
    t.anchor[row] = invalid ? Anchor.None : attribute === 'objectGUID' ? Anchor.ObjectGuid : Anchor.ConsistencyGuid;
  }

  /** A GUID cell in any spelling; its stored bytes go to the table at `at` when it is one. */
  private guid(r: FieldBytes, column: ColumnAt | undefined, at: number): AnchorCell {
    if (!column) return EMPTY_CELL;
    const out = this.table.guids;
    if (this.asciiTrim(r, column.index)) {
      if (this.from === this.to) return EMPTY_CELL;
      if (this.to - this.from === 36 && readDisplayGuid(r.buf, this.from, out, at)) return GUID_CELL;
    }
    const value = this.text(r, column.index);
    const parsed = parseAnchor(value, this.opts.hexOrder);
    if (parsed.kind === 'ambiguous-hex') {
      throw new IdreconError(
        'INPUT_AMBIGUOUS_HEX',
        `'${value}' is 32 hex digits without dashes, which can be display order or stored byte order; run again with --hex-order display or --hex-order raw`,
        { file: this.file, line: r.line, column: column.name, value },
      );
    }
    if (parsed.kind === 'guid') out.set(parsed.raw, at);
    return parsed;
  }
}

export interface CloudColumns {
  upn: ColumnAt;
  objectId: ColumnAt | undefined;
  immutableId: ColumnAt;
  syncEnabled: ColumnAt | undefined;
  mail?: ColumnAt;
  proxyAddresses?: ColumnAt;
  directoryRoles?: ColumnAt;
  privilegedRole?: ColumnAt;
  objectIdentifier?: ColumnAt;
  provisioningErrors?: ColumnAt;
}

const ELIGIBLE = ' (eligible)';
/** What onPremisesProvisioningErrors holds for a UPN conflict, as Graph or ConvertTo-Json writes it. */
const UPN_CONFLICT = /"propertyCausingError"\s*:\s*"UserPrincipalName"/i;

export class CloudRows extends RowReader {
  constructor(
    readonly table: CloudTable,
    file: string,
    headerCount: number,
    private readonly columns: CloudColumns,
    /** As OnpremRows's. */
    keepAddresses = true,
  ) {
    super(file, headerCount);
    if (keepAddresses && (columns.mail || columns.proxyAddresses)) table.useAddresses();
    if (columns.directoryRoles || columns.privilegedRole) table.useRoles();
    if (columns.objectIdentifier) table.useObjectIdentifier();
    if (columns.provisioningErrors) table.useProvisioningErrors();
  }

  add(r: FieldBytes): void {
    const t = this.table;
    const row = t.add(r.line);
    const { upn, objectId, immutableId, syncEnabled } = this.columns;
    this.setUpn(t, row, r, upn.index);
    this.objectId(r, objectId?.index, row);
    t.idKind[row] = this.immutableId(r, immutableId.index, row);
    t.sync[row] = this.bool(r, syncEnabled?.index);
    const addressProblem = this.columns.mail || this.columns.proxyAddresses ? this.addresses(t, r, row, this.columns.mail, this.columns.proxyAddresses) : undefined;
    if (t.hasRoles) this.roles(r, row);
    if (t.hasObjectIdentifier) {
      const put = t.arena.put(this.cell(r, this.columns.objectIdentifier).replace(/^\{|\}$/g, '').toLowerCase());
      t.objIdentAt[row] = put.at;
      t.objIdentLen[row] = put.len;
    }
    if (t.hasProvisioningErrors) t.upnConflict[row] = Number(UPN_CONFLICT.test(this.cell(r, this.columns.provisioningErrors)));
    const invalid = shapeProblem(r, this.headerCount) ?? (t.upnLen[row] === 0 ? upnProblem(upn.name) : undefined) ?? addressProblem;
    if (invalid) t.invalid.set(row, invalid);
  }

  /** The object id: a lower-case display-form GUID as its bytes, anything else as its trimmed text. */
  private objectId(r: FieldBytes, i: number | undefined, row: number): void {
    const t = this.table;
    if (i !== undefined && this.asciiTrim(r, i) && this.to - this.from === 36 && readLowerDisplayGuid(r.buf, this.from, t.objectIds, row * 16)) {
      t.objectIdKind[row] = ObjectId.Bytes;
    } else {
      this.keep(t, r, i);
      t.setObjectIdText(row, this.keptAt, this.keptLen);
    }
  }

  private cell(r: FieldBytes, column: ColumnAt | undefined): string {
    return column ? this.text(r, column.index).trim() : '';
  }

  /** directoryRoles: active and eligible roles; privilegedRole: True, False or unknown. */
  private roles(r: FieldBytes, row: number): void {
    const t = this.table;
    this.putTrimmed(t, r, this.columns.directoryRoles?.index, row, t.rolesAt, t.rolesLen);
    let flags = 0;
    for (const part of t.text(t.rolesAt, t.rolesLen, row).split(';')) {
      const role = part.trim();
      if (role) flags |= role.toLowerCase().endsWith(ELIGIBLE) ? Role.Eligible : Role.Active;
    }
    t.roles[row] = flags;
    t.privileged[row] = this.bool(r, this.columns.privilegedRole?.index);
  }

  private immutableId(r: FieldBytes, i: number, row: number): IdKind {
    const t = this.table;
    if (this.asciiTrim(r, i)) {
      if (this.from === this.to) return IdKind.Empty;
      if (this.to - this.from === 24 && readImmutableId(r.buf, this.from, t.ids, row * 16)) return IdKind.Guid;
      this.keep(t, r, i);
      t.setOtherId(row, this.keptAt, this.keptLen);
      return IdKind.Other;
    }
    const text = this.text(r, i).trim();
    if (text === '') return IdKind.Empty;
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length === 24 && readImmutableId(bytes, 0, t.ids, row * 16)) return IdKind.Guid;
    const put = t.arena.put(text);
    t.setOtherId(row, put.at, put.len);
    return IdKind.Other;
  }
}
