/**
 * reconciliation.csv: one row per user, written by reconcile from the two tables at bytes speed
 * (CsvBytes: the quoting and formula rule of every writer, lib/io/csv-writer.ts), read by
 * plan. The columns are declared here once; docs/reconcile.md explains each.
 */
import type { ReconRow } from '../core/classify';
import { writeDisplayGuid, writeImmutableId } from '../core/guid';
import { ANCHOR_ATTRIBUTES, type CloudTable, GuidKind, IdKind, type OnpremTable } from '../core/tables';
import type { ColumnSpec } from '../io/columns';
import type { CsvBytes } from '../io/csv-writer';
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

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
/** Every status, reason and outcome is ASCII, encoded once. */
const encoded = new Map<string, Buffer>();
const bytesOf = (text: string): Buffer => encoded.get(text) ?? encoded.set(text, ascii(text)).get(text)!;
const SYNC = [ascii(''), ascii('true'), ascii('false')];
const PRIVILEGED = [ascii(''), ascii('True'), ascii('False')];

/** Writes the fields of one reconciliation row (the caller ends it), copying each value from the tables (docs/reconcile.md has the columns). */
export function writeReconciliationRow(w: CsvBytes, row: ReconRow, on: OnpremTable, cl: CloudTable): void {
  const o = row.onprem;
  const c = row.cloud;
  if (o >= 0) upn(w, on, o);
  else upn(w, cl, c);
  w.ascii(bytesOf(row.status));
  w.ascii(bytesOf(row.reason));
  w.ascii(bytesOf(row.entraConnect));
  w.ascii(bytesOf(row.entraConnectReason));
  if (row.match >= 0) upn(w, cl, row.match);
  else w.empty();
  const anchorAt = o >= 0 ? on.anchorAt(o) : -1;
  if (anchorAt >= 0) immutableId(w, on.guids, anchorAt);
  else w.empty();
  if (c >= 0 && cl.idKind[c] === IdKind.Guid) immutableId(w, cl.ids, c * 16);
  else if (c >= 0 && cl.idKind[c] === IdKind.Other) w.field(cl.arena.bytes, cl.idAt[c], cl.idAt[c] + cl.idLen[c]);
  else w.empty();
  w.ascii(bytesOf(o >= 0 ? (ANCHOR_ATTRIBUTES[on.anchor[o]] ?? '') : ''));
  if (o >= 0 && on.objectGuidKind[o] === GuidKind.Guid) displayGuid(w, on.guids, o * 32);
  else w.empty();
  if (o >= 0 && on.consistencyGuidKind[o] === GuidKind.Guid) displayGuid(w, on.guids, o * 32 + 16);
  else w.empty();
  if (c >= 0) {
    upn(w, cl, c);
    w.field(cl.arena.bytes, cl.objectIdAt[c], cl.objectIdAt[c] + cl.objectIdLen[c]);
    w.ascii(SYNC[cl.sync[c]]);
  } else {
    w.empty();
    w.empty();
    w.empty();
  }
  if (c >= 0 && cl.hasRoles) {
    w.field(cl.arena.bytes, cl.rolesAt[c], cl.rolesAt[c] + cl.rolesLen[c]);
    w.ascii(PRIVILEGED[cl.privileged[c]]);
  } else {
    w.empty();
    w.empty();
  }
  if (row.relatedOnprem >= 0) upn(w, on, row.relatedOnprem);
  else if (row.relatedCloud >= 0) upn(w, cl, row.relatedCloud);
  else w.empty();
  if (o >= 0) w.integer(on.line[o]);
  else w.empty();
  if (c >= 0) w.integer(cl.line[c]);
  else w.empty();
}

function upn(w: CsvBytes, t: OnpremTable | CloudTable, i: number): void {
  w.field(t.arena.bytes, t.upnAt[i], t.upnAt[i] + t.upnLen[i]);
}

function immutableId(w: CsvBytes, src: Uint8Array, at: number): void {
  writeImmutableId(src, at, w.next(24), w.pos);
  w.placed(24);
}

function displayGuid(w: CsvBytes, src: Uint8Array, at: number): void {
  writeDisplayGuid(src, at, w.next(36), w.pos);
  w.placed(36);
}

