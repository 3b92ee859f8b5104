/**
 * The local tenant's directory: users in the order they were seeded (paging walks that order,
 * so a skip token is an offset that stays valid while users are edited), indexed by id, UPN and
 * ImmutableID the way Graph enforces uniqueness. Seeded from and dumped to the cloud CSV format.
 */
import { CsvWriter, writeWhole } from '../io/csv-writer';
import { type CloudUser, CLOUD_CSV_COLUMNS, cloudUserFields } from '../formats/cloud-users';
import { type Domain, DOMAIN_CSV_COLUMNS, domainFields } from '../formats/domains';

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
  await writeWhole(out, async () => {
    for (const row of rows) await out.row(row);
  });
}

/** Roles the user holds now: eligible ones (PIM, not activated) do not count. */
export function activeRoles(user: CloudUser): string[] {
  return (user.directoryRoles ?? []).filter((r) => !/\(eligible\)$/i.test(r));
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
