/**
 * The files a plan is made from: the reconciliation (streamed), the tenant's domains (Graph
 * /domains export) and, optionally, Okta's application users.
 */
import type { ColumnSpec } from '../io/columns';
import { readTrimmedTable } from '../io/table';
import type { OktaAppUser, ReconciliationRow } from './rows';

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
  own('hardMatchUpn', 'hard_match_upn'),
  own('expectedImmutableId', 'expected_immutable_id'),
  own('cloudImmutableId', 'cloud_immutable_id'),
  own('anchorAttribute', 'anchor_attribute'),
  own('cloudUpn', 'cloud_upn'),
  own('cloudObjectId', 'cloud_object_id'),
  own('cloudSyncEnabled', 'cloud_sync_enabled'),
  own('relatedUpn', 'related_upn'),
];

export async function* readReconciliation(file: string): AsyncGenerator<ReconciliationRow> {
  for await (const { line, cell } of readTrimmedTable(file, RECONCILIATION)) {
    const row = { line } as ReconciliationRow;
    for (const spec of RECONCILIATION) row[spec.field] = cell(spec.field);
    yield row;
  }
}

export interface Domains {
  federated: Set<string>;
  initial: string | undefined;
}

const DOMAIN_COLUMNS: ColumnSpec<'id' | 'authenticationType' | 'isInitial'>[] = [
  { field: 'id', label: 'domain name', aliases: ['id', 'Name', 'DomainName'], required: true, expected: 'a domains export (idrecon export cloud --domains-out)' },
  { field: 'authenticationType', label: 'authenticationType', aliases: ['authenticationType', 'Authentication'], required: true, expected: 'a domains export (idrecon export cloud --domains-out)' },
  { field: 'isInitial', label: 'isInitial', aliases: ['isInitial'], required: true, expected: 'a domains export (idrecon export cloud --domains-out)' },
];

export async function readDomains(file: string): Promise<Domains> {
  const domains: Domains = { federated: new Set(), initial: undefined };
  for await (const { cell } of readTrimmedTable(file, DOMAIN_COLUMNS)) {
    const name = cell('id').toLowerCase();
    if (cell('authenticationType').toLowerCase() === 'federated') domains.federated.add(name);
    if (cell('isInitial').toLowerCase() === 'true') domains.initial = name;
  }
  return domains;
}

const OKTA_COLUMNS: ColumnSpec<'id' | 'userName' | 'externalId'>[] = [
  { field: 'id', label: 'Okta app user id', aliases: ['id', 'appUserId'], required: true, expected: 'an Okta app users export (id, userName, externalId)' },
  { field: 'userName', label: 'user name', aliases: ['userName', 'credentials.userName', 'login'], required: true, expected: 'an Okta app users export (id, userName, externalId)' },
  { field: 'externalId', label: 'externalId', aliases: ['externalId'], required: true, expected: 'an Okta app users export (id, userName, externalId)' },
];

/** Okta app users by lower-cased user name (the UPN Okta provisions). */
export async function readOktaAppUsers(file: string): Promise<Map<string, OktaAppUser>> {
  const users = new Map<string, OktaAppUser>();
  for await (const { cell } of readTrimmedTable(file, OKTA_COLUMNS)) {
    users.set(cell('userName').toLowerCase(), { id: cell('id'), externalId: cell('externalId') });
  }
  return users;
}
