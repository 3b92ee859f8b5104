/**
 * The Okta export: the users of each Office 365 app instance with what Okta pushes as their
 * ImmutableID, joined with their AD app users (found by Okta user id) and, on request, their app
 * assignment ids. Requests, as in Okta's management API (okta-management-openapi-spec):
 * listApplications (GET /api/v1/apps?filter=name eq "active_directory"), listApplicationUsers
 * (GET /api/v1/apps/{appId}/users, limit 500, Link rel="next"), listAppLinks
 * (GET /api/v1/users/{id}/appLinks). The file appears only when complete.
 */
import pLimit from 'p-limit';
import { CsvWriter, writeWhole } from '../io/csv-writer';
import type { Clock } from '../graph/clock';
import { type OktaCredentials, oktaTokens } from './auth';
import { OktaClient, type OktaEvent, type OktaRetryPolicy, DEFAULT_OKTA_RETRY, type RequestKind } from './client';
import { OKTA_CSV_COLUMNS, type OktaCsvColumn, SEVERAL_AD_INSTANCES } from '../formats/okta-users';

export interface OktaExportOptions {
  /** https://contoso.okta.com (or the local org's URL). */
  orgUrl: string;
  credentials: OktaCredentials;
  /** Office 365 app instances (0oa...). */
  appIds: readonly string[];
  /** AD app instances; undefined: every active app named active_directory in the org. */
  adAppIds: readonly string[] | undefined;
  /** Also read each user's app assignment id: one request per user. */
  appLinks: boolean;
  out: string;
  retry?: Partial<OktaRetryPolicy>;
  /** appLinks requests in flight at once. */
  concurrency: number;
  jitter?: () => number;
}

export interface OktaExportResult {
  rows: number;
  /** Okta users in more than one AD app instance. */
  severalAd: number;
  adAppIds: string[];
  adUsers: number;
  /** HTTP requests to the API, retries included, and to the token endpoint. */
  requests: number;
  retries: OktaEvent[];
  /** How long requests waited for the rate limit, in ms. */
  pacedMs: number;
}

export interface OktaExportHooks {
  onRow?(rows: number): void;
  onEvent?(e: OktaEvent): void;
}

export const PAGE_LIMIT = 500;

/** Only what the run needs is asked for: an app granted okta.apps.read alone can still export without --app-links. */
export const scopesFor = (appLinks: boolean): string[] => (appLinks ? ['okta.apps.read', 'okta.users.read'] : ['okta.apps.read']);

interface AppUser {
  id: string;
  externalId?: string | null;
  status?: string;
  scope?: string;
  credentials?: { userName?: string };
  profile?: { immutableId?: string | null };
}

interface AppLink {
  appInstanceId?: string;
  appAssignmentId?: string;
}

interface AdEntry {
  externalIds: string[];
  appIds: string[];
}

export async function exportOkta(o: OktaExportOptions, clock: Clock, hooks: OktaExportHooks = {}): Promise<OktaExportResult> {
  const orgUrl = o.orgUrl.replace(/\/+$/, '');
  const tokens = await oktaTokens(orgUrl, o.credentials, scopesFor(o.appLinks), clock);
  const result: OktaExportResult = { rows: 0, severalAd: 0, adAppIds: [], adUsers: 0, requests: 0, retries: [], pacedMs: 0 };
  const client = new OktaClient(
    orgUrl,
    tokens,
    clock,
    { ...DEFAULT_OKTA_RETRY, ...o.retry },
    (e) => {
      if (e.type === 'retry') result.retries.push(e);
      else result.pacedMs += e.waitMs;
      hooks.onEvent?.(e);
    },
    o.jitter,
  );
  // Signing in first makes bad credentials an AUTH_FAILED before any file is opened.
  await tokens.header();

  const list = async function* <T>(kind: RequestKind, first: string): AsyncGenerator<T[]> {
    let url: string | undefined = first;
    while (url !== undefined) {
      const page: { body: T[]; next: string | undefined } = await client.get<T[]>(kind, url);
      yield page.body;
      url = page.next;
    }
  };
  const usersOf = (appId: string) => `${orgUrl}/api/v1/apps/${encodeURIComponent(appId)}/users?limit=${PAGE_LIMIT}`;

  result.adAppIds = o.adAppIds ? [...o.adAppIds] : [];
  if (!o.adAppIds) {
    const filter = encodeURIComponent('name eq "active_directory"');
    for await (const apps of list<{ id: string; status?: string }>('apps', `${orgUrl}/api/v1/apps?filter=${filter}&limit=200`)) {
      for (const app of apps) if (app.status === undefined || app.status === 'ACTIVE') result.adAppIds.push(app.id);
    }
  }
  const ad = new Map<string, AdEntry>();
  for (const adAppId of result.adAppIds) {
    for await (const users of list<AppUser>('app-users', usersOf(adAppId))) {
      for (const u of users) {
        const entry = ad.get(u.id) ?? ad.set(u.id, { externalIds: [], appIds: [] }).get(u.id)!;
        entry.externalIds.push(u.externalId ?? '');
        entry.appIds.push(adAppId);
      }
    }
  }
  result.adUsers = ad.size;
  for (const entry of ad.values()) if (entry.appIds.length > 1) result.severalAd++;

  const out = new CsvWriter(o.out, OKTA_CSV_COLUMNS);
  const limit = pLimit(o.concurrency);
  await writeWhole(out, async () => {
    for (const appId of o.appIds) {
      for await (const users of list<AppUser>('app-users', usersOf(appId))) {
        const assignments = o.appLinks ? await Promise.all(users.map((u) => limit(() => assignmentOf(client, orgUrl, u.id, appId)))) : undefined;
        for (let i = 0; i < users.length; i++) {
          await out.row(fieldsOf(users[i], appId, ad.get(users[i].id), assignments?.[i] ?? ''));
          result.rows++;
          hooks.onRow?.(result.rows);
        }
      }
    }
  });
  result.requests = client.requests + tokens.requests;
  return result;
}

async function assignmentOf(client: OktaClient, orgUrl: string, userId: string, appId: string): Promise<string> {
  const { body } = await client.get<AppLink[]>('app-links', `${orgUrl}/api/v1/users/${encodeURIComponent(userId)}/appLinks`);
  return body.find((l) => l.appInstanceId === appId)?.appAssignmentId ?? '';
}

function fieldsOf(u: AppUser, appId: string, ad: AdEntry | undefined, assignment: string): string[] {
  const row: Record<OktaCsvColumn, string> = {
    okta_user_id: u.id,
    user_name: u.credentials?.userName ?? '',
    status: u.status ?? '',
    scope: u.scope ?? '',
    immutable_id: u.profile?.immutableId ?? '',
    entra_id: u.externalId ?? '',
    ad_external_id: ad?.externalIds.join(';') ?? '',
    ad_app_id: ad?.appIds.join(';') ?? '',
    app_id: appId,
    app_assignment_id: assignment,
    note: ad && ad.appIds.length > 1 ? SEVERAL_AD_INSTANCES : '',
  };
  return OKTA_CSV_COLUMNS.map((c) => row[c]);
}
