/**
 * The cloud export: every user with the properties reconcile needs, streamed page by page into
 * the cloud CSV, and the tenant's domains into the domains CSV. Files appear only when complete.
 */
import { CsvWriter } from '../io/csv-writer';
import { CLOUD_CSV_COLUMNS, type CloudUser, DOMAIN_CSV_COLUMNS, type Domain, cloudUserFields, domainFields } from '../tenant/state';
import { type Credentials, msalTokens } from './auth';
import type { Clock } from './clock';
import { createGraphClient } from './client';
import { pages } from './pages';
import type { RetryEvent } from './retry';

export interface ExportOptions {
  credentials: Credentials;
  graphUrl: string;
  out: string;
  domainsOut?: string;
  /** Users per page, 1..999; the largest page costs the fewest requests. */
  pageSize: number;
  maxRetries: number;
}

export interface ExportResult {
  users: number;
  pages: number;
  domains: number;
  retries: RetryEvent[];
}

/** onPremisesImmutableId and onPremisesSyncEnabled come back only when selected: so they are. */
export const USER_SELECT = ['id', 'userPrincipalName', 'displayName', 'onPremisesImmutableId', 'onPremisesSyncEnabled', 'mail'];
const DOMAIN_SELECT = ['id', 'authenticationType', 'isInitial', 'isVerified'];

type GraphUser = Partial<CloudUser> & { id: string; userPrincipalName: string };

const asCloudUser = (u: GraphUser): CloudUser => ({
  id: u.id,
  userPrincipalName: u.userPrincipalName,
  displayName: u.displayName ?? '',
  onPremisesImmutableId: u.onPremisesImmutableId ?? null,
  onPremisesSyncEnabled: u.onPremisesSyncEnabled ?? null,
  mail: u.mail ?? null,
});

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
  const result: ExportResult = { users: 0, pages: 0, domains: 0, retries };
  const usersOut = new CsvWriter(options.out, CLOUD_CSV_COLUMNS);
  const domainsOut = options.domainsOut ? new CsvWriter(options.domainsOut, DOMAIN_CSV_COLUMNS) : undefined;
  const outputs = domainsOut ? [usersOut, domainsOut] : [usersOut];
  try {
    for await (const page of pages<GraphUser>(client, `/users?$select=${USER_SELECT.join(',')}&$top=${options.pageSize}`)) {
      result.pages++;
      for (const user of page) {
        await usersOut.row(cloudUserFields(asCloudUser(user)));
        result.users++;
        hooks.onUser?.(result.users);
      }
    }
    if (domainsOut) {
      for await (const page of pages<Domain>(client, `/domains?$select=${DOMAIN_SELECT.join(',')}`)) {
        for (const domain of page) await domainsOut.row(domainFields(domain));
        result.domains += page.length;
      }
    }
    for (const out of outputs) await out.commit();
  } catch (err) {
    await Promise.all(outputs.map((out) => out.abort()));
    throw err;
  }
  return result;
}
