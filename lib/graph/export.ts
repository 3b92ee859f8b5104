/**
 * The cloud export: every user with the properties reconcile needs, streamed page by page into
 * the cloud CSV, and the tenant's domains into the domains CSV. Files appear only when complete.
 */
import { CLOUD_CSV_COLUMNS, type CloudUser, cloudUserFields, cloudUsersWriter } from '../formats/cloud-users';
import { type Domain, domainFields, domainsWriter } from '../formats/domains';
import { writeTenantSettings } from '../formats/tenant-settings';
import { orNothing } from '../io/csv-writer';
import { publishSet } from '../io/output-set';
import { type Credentials, msalTokens } from './auth';
import type { Clock } from './clock';
import { createGraphClient } from './client';
import { type DirectoryRoles, type Tally, readDirectoryRoles, walk } from './directory-roles';
import { pages } from './pages';
import type { RetryEvent } from './retry';

export interface ExportOptions {
  credentials: Credentials;
  graphUrl: string;
  out: string;
  domainsOut?: string;
  /** Where to save GET /directory/onPremisesSynchronization, if the app may read it. */
  settingsOut?: string;
  /** Users per page, 1..999; the largest page costs the fewest requests. */
  pageSize: number;
  maxRetries: number;
}

export interface ExportResult {
  users: number;
  pages: number;
  domains: number;
  retries: RetryEvent[];
  roles: { assignments: number; eligibilities: number | 'unknown'; usersWithRoles: number };
  /** Every page read, of users and of everything else (roles, beta users, settings). */
  reads: number;
  /** Whether the tenant settings were saved to settingsOut. */
  settingsSaved: boolean;
  /** What could not be read, in plain words, and what the admin can do. */
  notes: string[];
}

/** Columns that do not come from v1.0 /users: the roles come from the role management API, the identifier from beta. */
const NOT_FROM_USERS: readonly string[] = ['directoryRoles', 'privilegedRole', 'onPremisesObjectIdentifier'];

/** Every other column is selected: onPremisesImmutableId, onPremisesSyncEnabled, proxyAddresses and onPremisesProvisioningErrors come back only when selected. */
const USER_SELECT = CLOUD_CSV_COLUMNS.filter((c) => !NOT_FROM_USERS.includes(c));
const DOMAIN_SELECT = ['id', 'authenticationType', 'isInitial', 'isVerified'];

type GraphUser = Partial<CloudUser> & { id: string; userPrincipalName: string };

const asCloudUser = (u: GraphUser, roles: DirectoryRoles, identifiers: Map<string, string>): CloudUser => {
  const held = roles.byUser.get(u.id) ?? roles.none;
  return {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName ?? '',
    onPremisesImmutableId: u.onPremisesImmutableId ?? null,
    onPremisesSyncEnabled: u.onPremisesSyncEnabled ?? null,
    mail: u.mail ?? null,
    proxyAddresses: u.proxyAddresses ?? [],
    directoryRoles: held.names,
    privilegedRole: held.privileged,
    onPremisesObjectIdentifier: identifiers.get(u.id) ?? null,
    onPremisesProvisioningErrors: u.onPremisesProvisioningErrors ?? [],
  };
};

/**
 * onPremisesObjectIdentifier is in beta only: one pass over /beta/users keeps the users that have
 * one (few before a cutover), so the v1.0 pass can add it to each row.
 */
async function readIdentifiers(client: ReturnType<typeof createGraphClient>, pageSize: number, notes: string[], tally: Tally): Promise<Map<string, string>> {
  const identifiers = new Map<string, string>();
  const refusal = await walk<{ id: string; onPremisesObjectIdentifier?: string | null }>(
    client,
    `/users?$select=id,onPremisesObjectIdentifier&$top=${pageSize}`,
    'beta',
    (page) => {
      for (const u of page) if (u.onPremisesObjectIdentifier) identifiers.set(u.id, u.onPremisesObjectIdentifier);
    },
    tally,
  );
  if (refusal) notes.push(`onPremisesObjectIdentifier is unknown: GET /beta/users was refused (${refusal.refused}); the column is left empty`);
  return identifiers;
}

const SETTINGS_HINT =
  'Graph lets only a signed-in Global Administrator read /directory/onPremisesSynchronization (delegated; applications are not supported). Ask one to run Connect-MgGraph -Scopes OnPremDirectorySynchronization.Read.All; Get-MgDirectoryOnPremiseSynchronization | ConvertTo-Json -Depth 5 > sync.json, and give reconcile --tenant-settings sync.json';

/** Saves the tenant's sync settings when Graph lets the app read them; says what to do when not. */
async function saveSettings(client: ReturnType<typeof createGraphClient>, file: string, notes: string[], tally: Tally): Promise<boolean> {
  const found: unknown[] = [];
  const refusal = await walk<unknown>(client, '/directory/onPremisesSynchronization', 'v1.0', (page) => found.push(...page), tally);
  if (refusal) {
    notes.push(`tenant settings not saved to ${file} (${refusal.refused}): ${SETTINGS_HINT}`);
    return false;
  }
  await writeTenantSettings(file, found);
  return true;
}

export interface ExportHooks {
  /** After each user written, with the count so far. */
  onUser?(users: number): void;
  onRetry?(e: RetryEvent): void;
}

export async function exportCloud(options: ExportOptions, clock: Clock, hooks: ExportHooks = {}): Promise<ExportResult> {
  const retries: RetryEvent[] = [];
  const tokens = await msalTokens(options.credentials);
  // Signing in first makes bad credentials an AUTH_FAILED before any file is opened.
  await tokens.token();
  const client = createGraphClient({
    graphUrl: options.graphUrl,
    tokens,
    clock,
    retry: { maxRetries: options.maxRetries },
    onRetry: (e) => {
      retries.push(e);
      hooks.onRetry?.(e);
    },
  });
  const notes: string[] = [];
  const result: ExportResult = { users: 0, pages: 0, domains: 0, retries, roles: { assignments: 0, eligibilities: 'unknown', usersWithRoles: 0 }, settingsSaved: false, notes, reads: 0 };
  const roles = await readDirectoryRoles(client, result);
  notes.push(...roles.notes);
  result.roles = { assignments: roles.assignments, eligibilities: roles.eligibilities, usersWithRoles: roles.byUser.size };
  const identifiers = await readIdentifiers(client, options.pageSize, notes, result);
  const usersOut = cloudUsersWriter(options.out);
  const domainsOut = options.domainsOut ? domainsWriter(options.domainsOut) : undefined;
  const outputs = domainsOut ? [usersOut, domainsOut] : [usersOut];
  await orNothing(outputs, async () => {
    for await (const page of pages<GraphUser>(client, `/users?$select=${USER_SELECT.join(',')}&$top=${options.pageSize}`)) {
      result.pages++;
      result.reads++;
      for (const user of page) {
        await usersOut.row(cloudUserFields(asCloudUser(user, roles, identifiers)));
        result.users++;
        hooks.onUser?.(result.users);
      }
    }
    if (domainsOut) {
      for await (const page of pages<Domain>(client, `/domains?$select=${DOMAIN_SELECT.join(',')}`)) {
        for (const domain of page) await domainsOut.row(domainFields(domain));
        result.domains += page.length;
        result.reads++;
      }
    }
    // The users and the domains files appear together or not at all.
    await publishSet(outputs);
    if (options.settingsOut) result.settingsSaved = await saveSettings(client, options.settingsOut, notes, result);
  });
  return result;
}
