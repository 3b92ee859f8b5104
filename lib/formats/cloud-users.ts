/**
 * The cloud users file: what `export cloud` writes (Graph's user resource, one row per user),
 * what reconcile reads (lib/reconcile/load.ts, by these names or the aliases of a
 * Get-MgUser | Export-Csv file), and the local tenant's seed and --save. docs/export.md.
 */
import { IdreconError } from '../errors';
import type { ColumnSpec } from '../io/columns';
import { CsvWriter } from '../io/csv-writer';
import { readTrimmedTable } from '../io/table';

export interface CloudUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  onPremisesImmutableId: string | null;
  /** true synced, false was synced, null never synced (Graph's meaning). */
  onPremisesSyncEnabled: boolean | null;
  mail: string | null;
  /**
   * Directory roles from the seed's optional `directoryRoles` column (`;`-separated display
   * names, an eligible one followed by ` (eligible)`): the tenant reads the active ones to refuse
   * what Graph refuses on administrators.
   */
  directoryRoles?: string[];
  /** Other properties of Graph's user resource, as a PATCH wrote them. */
  extra?: Record<string, unknown>;
  /** Graph's proxyAddresses ('SMTP:' primary, 'smtp:' others); absent is none. */
  proxyAddresses?: string[];
  /** Beta only in Graph; absent is null. */
  onPremisesObjectIdentifier?: string | null;
  /** As Graph returns them; absent is none. */
  onPremisesProvisioningErrors?: ProvisioningError[];
  /** Seed only: True when one of those roles is privileged (Graph's isPrivileged); null unknown. */
  privilegedRole?: boolean | null;
}

export interface ProvisioningError {
  category: string;
  occurredDateTime: string;
  propertyCausingError: string;
  value: string;
}

/** The columns of fixtures/cloud-users.csv, which reconcile reads. */
export const CLOUD_CSV_COLUMNS = [
  'id',
  'userPrincipalName',
  'displayName',
  'onPremisesImmutableId',
  'onPremisesSyncEnabled',
  'mail',
  'proxyAddresses',
  'directoryRoles',
  'privilegedRole',
  'onPremisesObjectIdentifier',
  'onPremisesProvisioningErrors',
] as const;

/** One row of the cloud CSV; True/False as Export-Csv writes them, empty for null. */
export function cloudUserFields(u: CloudUser): string[] {
  const bool = (b: boolean | null | undefined) => (b === null || b === undefined ? '' : b ? 'True' : 'False');
  const errors = u.onPremisesProvisioningErrors?.length ? JSON.stringify(u.onPremisesProvisioningErrors) : '';
  return [
    u.id,
    u.userPrincipalName,
    u.displayName,
    u.onPremisesImmutableId ?? '',
    bool(u.onPremisesSyncEnabled),
    u.mail ?? '',
    (u.proxyAddresses ?? []).join(';'),
    (u.directoryRoles ?? []).join(';'),
    bool(u.privilegedRole),
    u.onPremisesObjectIdentifier ?? '',
    errors,
  ];
}

/** A file of cloud users being written; rows from cloudUserFields. */
export const cloudUsersWriter = (path: string): CsvWriter => new CsvWriter(path, CLOUD_CSV_COLUMNS);

type UserField = (typeof CLOUD_CSV_COLUMNS)[number];

const spec = <F extends string>(field: F, aliases: string[], required: boolean): ColumnSpec<F> => ({
  field,
  label: field,
  aliases,
  required,
  expected: 'a cloud export (idrecon export cloud)',
});

const USER_SPECS = [
  spec<UserField>('id', ['id', 'ObjectId'], true),
  spec<UserField>('userPrincipalName', ['userPrincipalName'], true),
  spec<UserField>('displayName', ['displayName'], false),
  spec<UserField>('onPremisesImmutableId', ['onPremisesImmutableId', 'ImmutableId'], false),
  spec<UserField>('onPremisesSyncEnabled', ['onPremisesSyncEnabled', 'DirSyncEnabled'], false),
  spec<UserField>('mail', ['mail'], false),
  spec<UserField>('proxyAddresses', ['proxyAddresses'], false),
  spec<UserField>('directoryRoles', ['directoryRoles'], false),
  spec<UserField>('privilegedRole', ['privilegedRole'], false),
  spec<UserField>('onPremisesObjectIdentifier', ['onPremisesObjectIdentifier'], false),
  spec<UserField>('onPremisesProvisioningErrors', ['onPremisesProvisioningErrors'], false),
];

export function parseBool(value: string, where: { file: string; line: number; column: string }, empty: boolean | null): boolean | null {
  const v = value.toLowerCase();
  if (v === '') return empty;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new IdreconError('INPUT_VALUE', `expected True, False or empty, got '${value}'`, { ...where, value });
}

/** Reads a cloud users file whole (the local tenant's seed). */
export async function readCloudUsers(file: string): Promise<CloudUser[]> {
  const users: CloudUser[] = [];
  for await (const { line, cell } of readTrimmedTable(file, USER_SPECS)) {
    users.push({
      id: cell('id'),
      userPrincipalName: cell('userPrincipalName'),
      displayName: cell('displayName'),
      onPremisesImmutableId: cell('onPremisesImmutableId') || null,
      onPremisesSyncEnabled: parseBool(cell('onPremisesSyncEnabled'), { file, line, column: 'onPremisesSyncEnabled' }, null),
      mail: cell('mail') || null,
      ...rolesOf(cell('directoryRoles')),
      proxyAddresses: cell('proxyAddresses').split(';').map((a) => a.trim()).filter(Boolean),
      privilegedRole: parseBool(cell('privilegedRole'), { file, line, column: 'privilegedRole' }, null),
      onPremisesObjectIdentifier: cell('onPremisesObjectIdentifier') || null,
      onPremisesProvisioningErrors: provisioningErrors(cell('onPremisesProvisioningErrors'), { file, line }),
    });
  }
  return users;
}

function rolesOf(cell: string): { directoryRoles?: string[] } {
  const roles = cell.split(';').map((r) => r.trim()).filter(Boolean);
  return roles.length > 0 ? { directoryRoles: roles } : {};
}

/** The JSON array Graph returns, as the cloud CSV keeps it. */
function provisioningErrors(value: string, where: { file: string; line: number }): ProvisioningError[] {
  if (value === '') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed as ProvisioningError[];
  } catch {
    // reported below
  }
  throw new IdreconError('INPUT_VALUE', `expected a JSON array as Graph returns onPremisesProvisioningErrors, got '${value}'`, {
    ...where,
    column: 'onPremisesProvisioningErrors',
    value,
  });
}
