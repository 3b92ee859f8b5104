/**
 * The files a plan is made from: the reconciliation (streamed), the tenant's domains (Graph
 * /domains export) and, optionally, Okta's application users.
 */
import { foldUpn } from '../core/upn';
import type { ColumnSpec } from '../io/columns';
import { readTrimmedTable } from '../io/table';
import { OKTA_INPUT_COLUMNS } from '../okta/columns';
import type { OktaAppUser } from './rows';

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

/** Okta app users by user name (the UPN Okta provisions), folded as UPNs are compared, one entry for all the app instances they are in. */
export async function readOktaAppUsers(file: string): Promise<Map<string, OktaAppUser>> {
  const users = new Map<string, OktaAppUser>();
  for await (const { cell, columns } of readTrimmedTable(file, OKTA_INPUT_COLUMNS)) {
    const key = foldUpn(cell('userName'));
    const user = users.get(key) ?? users.set(key, { userId: cell('userId'), immutableIds: [], knowsImmutableId: columns.immutableId !== undefined }).get(key)!;
    const pushed = cell('immutableId');
    if (pushed && !user.immutableIds.includes(pushed)) user.immutableIds.push(pushed);
  }
  return users;
}
