/**
 * The local tenant's directory: users in the order they were seeded (paging walks that order,
 * so a skip token is an offset that stays valid while users are edited), indexed by id, UPN and
 * ImmutableID the way Graph enforces uniqueness. Seeded from and dumped to the cloud CSV format.
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

export interface Domain {
  id: string;
  authenticationType: 'Managed' | 'Federated';
  isInitial: boolean;
  isVerified: boolean;
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
export const DOMAIN_CSV_COLUMNS = ['id', 'authenticationType', 'isInitial', 'isVerified'] as const;

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

export function domainFields(d: Domain): string[] {
  return [d.id, d.authenticationType, d.isInitial ? 'True' : 'False', d.isVerified ? 'True' : 'False'];
}

export const upnDomain = (upn: string): string => upn.slice(upn.lastIndexOf('@') + 1).toLowerCase();

export class TenantState {
  readonly users: CloudUser[] = [];
  /** Deleted users stay in `users`, so skip tokens (offsets) stay valid; they are found no more. */
  private readonly deleted = new Set<CloudUser>();
  private readonly byId = new Map<string, CloudUser>();
  private readonly byUpn = new Map<string, CloudUser>();
  private readonly byImmutableId = new Map<string, CloudUser>();
  private readonly domains = new Map<string, Domain>();

  constructor(users: Iterable<CloudUser>, domains: Iterable<Domain>) {
    for (const d of domains) this.domains.set(d.id.toLowerCase(), d);
    for (const u of users) this.add(u);
  }

  /**
   * Seed files may hold what Graph would refuse (two UPNs differing only in case, as in a
   * hand-made scenario): they are kept, so a dump gives the seed back, and the first one wins
   * lookups. Writes are checked against the rules.
   */
  private add(u: CloudUser): void {
    this.users.push(u);
    setIfAbsent(this.byId, u.id.toLowerCase(), u);
    setIfAbsent(this.byUpn, u.userPrincipalName.toLowerCase(), u);
    if (u.onPremisesImmutableId !== null) setIfAbsent(this.byImmutableId, u.onPremisesImmutableId, u);
  }

  /** Graph addresses a user by object id or by UPN, both without regard to case. */
  find(idOrUpn: string): CloudUser | undefined {
    const key = idOrUpn.toLowerCase();
    return this.byId.get(key) ?? this.byUpn.get(key);
  }

  findByUpn(upn: string): CloudUser | undefined {
    return this.byUpn.get(upn.toLowerCase());
  }

  /** ImmutableIDs compare exactly: they are base64, where case matters. */
  findByImmutableId(immutableId: string): CloudUser | undefined {
    return this.byImmutableId.get(immutableId);
  }

  domain(name: string): Domain | undefined {
    return this.domains.get(name.toLowerCase());
  }

  listDomains(): Domain[] {
    return [...this.domains.values()];
  }

  /** Applies a change the rules have already allowed, keeping the indexes in step. */
  update(user: CloudUser, change: Partial<Omit<CloudUser, 'id'>>): void {
    if (change.userPrincipalName !== undefined) {
      deleteIfOwn(this.byUpn, user.userPrincipalName.toLowerCase(), user);
      this.byUpn.set(change.userPrincipalName.toLowerCase(), user);
    }
    if (change.onPremisesImmutableId !== undefined) {
      if (user.onPremisesImmutableId !== null) deleteIfOwn(this.byImmutableId, user.onPremisesImmutableId, user);
      if (change.onPremisesImmutableId !== null) this.byImmutableId.set(change.onPremisesImmutableId, user);
    }
    const { extra, ...known } = change;
    Object.assign(user, known);
    if (extra) user.extra = { ...user.extra, ...extra };
  }

  /** DELETE /users/{id}: the user is gone from every lookup and listing. */
  remove(user: CloudUser): void {
    deleteIfOwn(this.byId, user.id.toLowerCase(), user);
    deleteIfOwn(this.byUpn, user.userPrincipalName.toLowerCase(), user);
    if (user.onPremisesImmutableId !== null) deleteIfOwn(this.byImmutableId, user.onPremisesImmutableId, user);
    this.deleted.add(user);
  }

  isDeleted(user: CloudUser): boolean {
    return this.deleted.has(user);
  }

  async dump(usersFile: string, domainsFile?: string): Promise<void> {
    await writeCsv(usersFile, CLOUD_CSV_COLUMNS, this.users.filter((u) => !this.deleted.has(u)).map(cloudUserFields));
    if (domainsFile) await writeCsv(domainsFile, DOMAIN_CSV_COLUMNS, this.listDomains().map(domainFields));
  }
}

function setIfAbsent<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (!map.has(key)) map.set(key, value);
}

function deleteIfOwn<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.get(key) === value) map.delete(key);
}

async function writeCsv(file: string, header: readonly string[], rows: string[][]): Promise<void> {
  const out = new CsvWriter(file, header);
  try {
    for (const row of rows) await out.row(row);
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
}

type UserField = (typeof CLOUD_CSV_COLUMNS)[number] | 'directoryRoles';
type DomainField = (typeof DOMAIN_CSV_COLUMNS)[number];

const spec = <F extends string>(field: F, aliases: string[], required: boolean): ColumnSpec<F> => ({
  field,
  label: field,
  aliases,
  required,
  expected: 'a cloud export (idrecon export cloud) or a domains export (--domains-out)',
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

const DOMAIN_SPECS = [
  spec<DomainField>('id', ['id', 'Name'], true),
  spec<DomainField>('authenticationType', ['authenticationType'], true),
  spec<DomainField>('isInitial', ['isInitial'], false),
  spec<DomainField>('isVerified', ['isVerified'], false),
];

function parseBool(value: string, where: { file: string; line: number; column: string }, empty: boolean | null): boolean | null {
  const v = value.toLowerCase();
  if (v === '') return empty;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new IdreconError('INPUT_VALUE', `expected True, False or empty, got '${value}'`, { ...where, value });
}

export async function loadUsers(file: string): Promise<CloudUser[]> {
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

/** Roles the user holds now: eligible ones (PIM, not activated) do not count. */
export function activeRoles(user: CloudUser): string[] {
  return (user.directoryRoles ?? []).filter((r) => !/\(eligible\)$/i.test(r));
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

export async function loadDomains(file: string): Promise<Domain[]> {
  const domains: Domain[] = [];
  for await (const { line, cell } of readTrimmedTable(file, DOMAIN_SPECS)) {
    const type = cell('authenticationType').toLowerCase();
    if (type !== 'managed' && type !== 'federated') {
      throw new IdreconError('INPUT_VALUE', `expected Managed or Federated, got '${cell('authenticationType')}'`, { file, line, column: 'authenticationType' });
    }
    domains.push({
      id: cell('id'),
      authenticationType: type === 'managed' ? 'Managed' : 'Federated',
      isInitial: parseBool(cell('isInitial'), { file, line, column: 'isInitial' }, false) as boolean,
      isVerified: parseBool(cell('isVerified'), { file, line, column: 'isVerified' }, true) as boolean,
    });
  }
  return domains;
}

/**
 * Without a domains file every UPN suffix is a verified managed domain, and the tenant gets the
 * initial *.onmicrosoft.com domain every real tenant has.
 */
export function domainsFromUsers(users: readonly CloudUser[]): Domain[] {
  const names = [...new Set(users.map((u) => upnDomain(u.userPrincipalName)).filter(Boolean))];
  const initial = names.find((n) => n.endsWith('.onmicrosoft.com')) ?? `${(names[0] ?? 'contoso').split('.')[0]}.onmicrosoft.com`;
  if (!names.includes(initial)) names.push(initial);
  return names.map((id) => ({ id, authenticationType: 'Managed', isInitial: id === initial, isVerified: true }));
}
