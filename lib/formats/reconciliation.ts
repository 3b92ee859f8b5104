/**
 * reconciliation.csv: one row per user, written by reconcile from the two tables at bytes speed
 * (CsvBytes: the quoting and formula rule of every writer, lib/io/csv-writer.ts), read by
 * plan. The columns are declared here once; docs/reconcile.md explains each.
 */
import type { ReconRow } from '../core/classify';
import { immutableIdStart, writeDisplayGuid, writeImmutableId } from '../core/guid';
import { ANCHOR_ATTRIBUTES, type CloudTable, GuidKind, IdKind, ObjectId, type OnpremTable } from '../core/tables';
import type { ColumnSpec } from '../io/columns';
import { type CsvBytes, fieldRoom, guardClose, guardOpen, isFormulaStart, putAscii, putField, putFieldAs, putInteger } from '../io/csv-writer';
import { readTrimmedTable } from '../io/table';

export const RECONCILIATION_COLUMNS = [
  'upn',
  'status',
  'reason',
  'entra_connect',
  'entra_connect_reason',
  'match_upn',
  'expected_immutable_id',
  'cloud_immutable_id',
  'anchor_attribute',
  'object_guid',
  'consistency_guid',
  'cloud_upn',
  'cloud_object_id',
  'cloud_sync_enabled',
  'cloud_roles',
  'cloud_privileged_role',
  'related_upn',
  'onprem_line',
  'cloud_line',
] as const;

/** With reconcile --okta only, after the others (lib/reconcile/okta.ts writes them). */
export const OKTA_RECONCILIATION_COLUMNS = ['okta_user_id', 'okta_immutable_id', 'okta_check'] as const;

export type ReconciliationColumn = (typeof RECONCILIATION_COLUMNS)[number] | (typeof OKTA_RECONCILIATION_COLUMNS)[number];

/** The reconciliation fields a plan is made from (columns of reconciliation.csv). */
export interface ReconciliationRow {
  line: number;
  upn: string;
  status: string;
  reason: string;
  /** What Entra Connect will do, and why (empty in a reconciliation from before these columns). */
  entraConnect: string;
  entraConnectReason: string;
  /** The cloud account Entra Connect will take over when it is not the one with this UPN. */
  matchUpn: string;
  expectedImmutableId: string;
  cloudImmutableId: string;
  anchorAttribute: string;
  cloudUpn: string;
  cloudObjectId: string;
  cloudSyncEnabled: string;
  /** The cloud user's directory roles, `;`-separated, eligible ones marked ` (eligible)`. */
  cloudRoles: string;
  relatedUpn: string;
}

const own = <F extends string>(field: F, column: string, required = true): ColumnSpec<F> => ({
  field,
  label: column,
  aliases: [column],
  required,
  expected: 'the reconciliation.csv written by idrecon reconcile',
});

type ReconField = Exclude<keyof ReconciliationRow, 'line'>;

const RECONCILIATION: ColumnSpec<ReconField>[] = [
  own('upn', 'upn'),
  own('status', 'status'),
  own('reason', 'reason'),
  own('entraConnect', 'entra_connect', false),
  own('entraConnectReason', 'entra_connect_reason', false),
  own('matchUpn', 'match_upn'),
  own('expectedImmutableId', 'expected_immutable_id'),
  own('cloudImmutableId', 'cloud_immutable_id'),
  own('anchorAttribute', 'anchor_attribute'),
  own('cloudUpn', 'cloud_upn'),
  own('cloudObjectId', 'cloud_object_id'),
  own('cloudSyncEnabled', 'cloud_sync_enabled'),
  own('cloudRoles', 'cloud_roles', false),
  own('relatedUpn', 'related_upn'),
];

export async function* readReconciliation(file: string): AsyncGenerator<ReconciliationRow> {
  for await (const { line, cell } of readTrimmedTable(file, RECONCILIATION)) {
    const row = { line } as ReconciliationRow;
    for (const spec of RECONCILIATION) row[spec.field] = cell(spec.field);
    yield row;
  }
}

const ANCHOR_NAMES = ANCHOR_ATTRIBUTES.map((a) => a ?? '');
const SYNC = ['', 'true', 'false'];
const PRIVILEGED = ['', 'True', 'False'];
/**
 * A row's room beyond 4 bytes a byte of its text: the rest of fieldRoom for its seven text fields
 * (UPNs, cloud ImmutableID, object id, roles), two ImmutableIDs (guarded), three GUIDs (the
 * object id's when kept as bytes), the anchor attribute, the booleans, the line numbers and the commas.
 */
const FIXED_ROOM = 7 * fieldRoom(0) + 2 * fieldRoom(24) + 3 * 36 + 32 + 2 * 8 + 2 * 16 + RECONCILIATION_COLUMNS.length;

/**
 * Writes the fields of one reconciliation row (the caller ends it), copying each value from the
 * tables (docs/reconcile.md has the columns). Room for the whole row is reserved once, from the
 * lengths of its text, and every field is written at a local position.
 */
export function writeReconciliationRow(w: CsvBytes, row: ReconRow, on: OnpremTable, cl: CloudTable): void {
  const o = row.onprem;
  const c = row.cloud;
  const m = row.match;
  const ro = row.relatedOnprem;
  const rc = ro >= 0 ? -1 : row.relatedCloud;
  const ob = on.arena.bytes;
  const cb = cl.arena.bytes;
  // Rows go out in on-prem order, so the cloud row lies anywhere in its table, out of the cache:
  // all it holds is read here, together, so the misses overlap instead of following one another
  // (the first bytes of its text and ImmutableID are what decides their formula guard).
  let cUpn = 0;
  let cUpnEnd = 0;
  let cObject = 0;
  let cObjectEnd = 0;
  let cObjectBytes = false;
  let cId = IdKind.Empty;
  let cSync = 0;
  let cLine = 0;
  let cUpnGuarded = false;
  let cObjectGuarded = false;
  let cIdGuarded = false;
  if (c >= 0) {
    cUpn = cl.upnAt[c];
    cUpnEnd = cUpn + cl.upnLen[c];
    cObjectBytes = cl.objectIdKind[c] === ObjectId.Bytes;
    if (!cObjectBytes) {
      cObject = cl.objectIdTextAt(c);
      cObjectEnd = cObject + cl.objectIdTextLen(c);
    }
    cId = cl.idKind[c];
    cSync = cl.sync[c];
    cLine = cl.line[c];
    if (cId === IdKind.Guid) cIdGuarded = isFormulaStart(immutableIdStart(cl.ids[c * 16]));
    cUpnGuarded = cUpnEnd > cUpn && isFormulaStart(cb[cUpn]);
    cObjectGuarded = cObjectEnd > cObject && isFormulaStart(cb[cObject]);
  }
  const upnAt = o >= 0 ? on.upnAt[o] : cUpn;
  const upnEnd = o >= 0 ? upnAt + on.upnLen[o] : cUpnEnd;
  let text = upnEnd - upnAt + row.status.length + row.reason.length + row.entraConnect.length + row.entraConnectReason.length;
  if (m >= 0) text += cl.upnLen[m];
  if (cId === IdKind.Other) text += cl.otherIdLen(c);
  if (c >= 0) text += cUpnEnd - cUpn + cObjectEnd - cObject + (cl.hasRoles ? cl.rolesLen[c] : 0);
  if (ro >= 0) text += on.upnLen[ro];
  else if (rc >= 0) text += cl.upnLen[rc];
  const b = w.next(4 * text + FIXED_ROOM);

  // One call for either side's UPN: a call made first in the cloud rows' phase would throw the optimised code away there.
  const upnFrom = o >= 0 ? ob : cb;
  let p = putFieldAs(b, w.pos, upnFrom, upnAt, upnEnd, o >= 0 ? upnEnd > upnAt && isFormulaStart(ob[upnAt]) : cUpnGuarded);
  b[p++] = COMMA;
  p = putAscii(b, p, row.status);
  b[p++] = COMMA;
  p = putAscii(b, p, row.reason);
  b[p++] = COMMA;
  p = putAscii(b, p, row.entraConnect);
  b[p++] = COMMA;
  p = putAscii(b, p, row.entraConnectReason);
  b[p++] = COMMA;
  if (m >= 0) p = putField(b, p, cb, cl.upnAt[m], cl.upnAt[m] + cl.upnLen[m]);
  b[p++] = COMMA;
  const anchorAt = o >= 0 ? on.anchorAt(o) : -1;
  if (anchorAt >= 0) p = putImmutableId(b, p, on.guids, anchorAt, isFormulaStart(immutableIdStart(on.guids[anchorAt])));
  b[p++] = COMMA;
  if (cId === IdKind.Guid) p = putImmutableId(b, p, cl.ids, c * 16, cIdGuarded);
  else if (cId === IdKind.Other) p = putField(b, p, cb, cl.otherIdAt(c), cl.otherIdAt(c) + cl.otherIdLen(c));
  b[p++] = COMMA;
  if (o >= 0) p = putAscii(b, p, ANCHOR_NAMES[on.anchor[o]] ?? '');
  b[p++] = COMMA;
  if (o >= 0 && on.objectGuidKind[o] === GuidKind.Guid) p = putDisplayGuid(b, p, on.guids, o * 32);
  b[p++] = COMMA;
  if (o >= 0 && on.consistencyGuidKind[o] === GuidKind.Guid) p = putDisplayGuid(b, p, on.guids, o * 32 + 16);
  b[p++] = COMMA;
  if (c >= 0) {
    p = putFieldAs(b, p, cb, cUpn, cUpnEnd, cUpnGuarded);
    b[p++] = COMMA;
    p = cObjectBytes ? putDisplayGuid(b, p, cl.objectIds, c * 16) : putFieldAs(b, p, cb, cObject, cObjectEnd, cObjectGuarded);
    b[p++] = COMMA;
    p = putAscii(b, p, SYNC[cSync]);
  } else {
    b[p++] = COMMA;
    b[p++] = COMMA;
  }
  b[p++] = COMMA;
  if (c >= 0 && cl.hasRoles) {
    p = putField(b, p, cb, cl.rolesAt[c], cl.rolesAt[c] + cl.rolesLen[c]);
    b[p++] = COMMA;
    p = putAscii(b, p, PRIVILEGED[cl.privileged[c]]);
  } else {
    b[p++] = COMMA;
  }
  b[p++] = COMMA;
  if (ro >= 0) p = putField(b, p, ob, on.upnAt[ro], on.upnAt[ro] + on.upnLen[ro]);
  else if (rc >= 0) p = putField(b, p, cb, cl.upnAt[rc], cl.upnAt[rc] + cl.upnLen[rc]);
  b[p++] = COMMA;
  if (o >= 0) p = putInteger(b, p, on.line[o]);
  b[p++] = COMMA;
  if (c >= 0) p = putInteger(b, p, cLine);
  w.pos = p;
}

const COMMA = 0x2c;

/** A Base64 ImmutableID, `guarded` when it starts with + (it holds no quote, comma or line break). */
function putImmutableId(b: Uint8Array, p: number, src: Uint8Array, at: number, guarded: boolean): number {
  if (!guarded) {
    writeImmutableId(src, at, b, p);
    return p + 24;
  }
  writeImmutableId(src, at, b, guardOpen(b, p));
  return guardClose(b, p + 28);
}

/** A GUID's display form, which starts with a hex digit and so is never guarded. */
function putDisplayGuid(b: Uint8Array, p: number, src: Uint8Array, at: number): number {
  writeDisplayGuid(src, at, b, p);
  return p + 36;
}
