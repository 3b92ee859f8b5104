/**
 * The on-prem users file: what `export onprem` writes (and what reconcile makes of an LDIF file
 * before reading it like any on-prem CSV, lib/reconcile/load.ts), with the names Get-ADUser uses.
 * One Active Directory user, as an LDAP search or an LDIF file gives it, into its row. Pure. Binary attributes arrive as
 * bytes; a tool that printed them as text (Samba's ldbsearch writes `objectGUID: <GUID>` and
 * `objectSid: S-1-5-...`) gives text, which is kept as the same display form.
 */
import type { AttributeValue, DirectoryEntry } from '../core/directory-entry';
import { toDisplay } from '../core/guid';

/** The columns of the on-prem CSV, in order; the names Get-ADUser uses where it has the attribute. */
export const ONPREM_CSV_COLUMNS = [
  'UserPrincipalName',
  'ObjectGUID',
  'mS-DS-ConsistencyGuid',
  'mail',
  'proxyAddresses',
  'SamAccountName',
  'DistinguishedName',
  'Enabled',
  'isCriticalSystemObject',
  'objectSid',
  'whenChanged',
] as const;

/** The LDAP attributes the row is made of, spelled as the AD schema spells them. */
export const ONPREM_LDAP_ATTRIBUTES = [
  'userPrincipalName',
  'objectGUID',
  'mS-DS-ConsistencyGuid',
  'mail',
  'proxyAddresses',
  'sAMAccountName',
  'userAccountControl',
  'isCriticalSystemObject',
  'objectSid',
  'whenChanged',
] as const;

/** Attributes whose values are bytes: never decoded as text. */
export const BINARY_ATTRIBUTES = ['objectGUID', 'mS-DS-ConsistencyGuid', 'objectSid'] as const;

const UF_ACCOUNTDISABLE = 0x2;

const text = (v: AttributeValue | undefined): string => (v === undefined ? '' : typeof v === 'string' ? v : Buffer.from(v).toString('utf8'));

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/**
 * A GUID attribute in its display form when it holds 16 bytes. Any other length is written in
 * csvde's X'hex' spelling, which reconcile reads and rejects with the byte count as its reason.
 */
export function guidCell(v: AttributeValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return v.length === 16 ? toDisplay(v) : v.length === 0 ? '' : `X'${hex(v)}'`;
}

/** S-1-5-21-... from the binary SID: revision, sub-authority count, 48-bit authority, 32-bit little-endian sub-authorities. */
export function sidText(v: AttributeValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (v.length < 8 || v.length !== 8 + 4 * v[1]) return `X'${hex(v)}'`;
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + v[i];
  const parts = [`S-${v[0]}-${authority}`];
  const view = new DataView(v.buffer, v.byteOffset, v.byteLength);
  for (let i = 0; i < v[1]; i++) parts.push(String(view.getUint32(8 + 4 * i, true)));
  return parts.join('-');
}

/** LDAP GeneralizedTime (20240102030405.0Z) as ISO 8601 UTC (2024-01-02T03:04:05Z); anything else as it came. */
export function timeText(v: AttributeValue | undefined): string {
  const t = text(v);
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:[.,]\d+)?Z$/.exec(t);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : t;
}

/** userAccountControl's disabled bit, as Get-ADUser's Enabled: True, False, or empty when not read. */
function enabled(v: AttributeValue | undefined): string {
  const uac = Number(text(v));
  return v === undefined || !Number.isInteger(uac) ? '' : uac & UF_ACCOUNTDISABLE ? 'False' : 'True';
}

/** AD leaves isCriticalSystemObject unset on ordinary users: unset is False. */
function critical(v: AttributeValue | undefined): string {
  return text(v).toUpperCase() === 'TRUE' ? 'True' : 'False';
}

/** The entry's fields in ONPREM_CSV_COLUMNS order. Multi-valued proxyAddresses keep every value, `;`-separated. */
export function onpremRow(e: DirectoryEntry): string[] {
  const one = (a: string) => e.values(a)[0];
  return [
    text(one('userPrincipalName')),
    guidCell(one('objectGUID')),
    guidCell(one('mS-DS-ConsistencyGuid')),
    text(one('mail')),
    e.values('proxyAddresses').map(text).join(';'),
    text(one('sAMAccountName')),
    e.dn,
    enabled(one('userAccountControl')),
    critical(one('isCriticalSystemObject')),
    sidText(one('objectSid')),
    timeText(one('whenChanged')),
  ];
}

/** What the export summary counts per base. */
export interface EntryCounts {
  users: number;
  withUpn: number;
  withoutUpn: number;
  withConsistencyGuid: number;
  critical: number;
  disabled: number;
}

export const noCounts = (): EntryCounts => ({ users: 0, withUpn: 0, withoutUpn: 0, withConsistencyGuid: 0, critical: 0, disabled: 0 });

/** Counts a row made by onpremRow(). */
export function countRow(c: EntryCounts, row: readonly string[]): void {
  c.users++;
  if (row[0] === '') c.withoutUpn++;
  else c.withUpn++;
  if (row[2] !== '') c.withConsistencyGuid++;
  if (row[8] === 'True') c.critical++;
  if (row[7] === 'False') c.disabled++;
}
