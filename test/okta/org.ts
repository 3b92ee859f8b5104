/**
 * A local Okta org for the tests: the part of Okta's management API that `idrecon export okta`
 * uses, written from Okta's published description (okta/okta-management-openapi-spec,
 * dist/current/management-minimal.yaml and oauth-minimal.yaml):
 * - POST /oauth2/v1/token (operationId `token`), client credentials with private_key_jwt: the
 *   client assertion's RS256 signature is checked against the app's registered public key, and
 *   its iss/sub, aud (the token endpoint's URL), exp, iat and jti; requested scopes must be granted.
 * - GET /api/v1/apps (listApplications) with `filter=name eq "..."` or `status eq "..."`.
 * - GET /api/v1/apps/{appId}/users (listApplicationUsers): limit 1..500 (default 50), an opaque
 *   `after` cursor, Link rel="self" and rel="next"; scope okta.apps.read.
 * - GET /api/v1/users/{id}/appLinks (listAppLinks): scope okta.users.read.
 * - Errors in Okta's shape ({errorCode, errorSummary, errorLink, errorId, errorCauses}); 403 with
 *   WWW-Authenticate error="insufficient_scope" for a token without the scope; E0000006 for an app
 *   without an admin role; X-Rate-Limit-Limit/-Remaining/-Reset on every answer and 429 E0000047
 *   over a bucket's per-minute limit.
 * - Seeded faults (503, 504, connections dropped before or during the answer) and optional latency.
 * Differences from Okta are listed in docs/okta-org.md.
 */
import { type KeyObject, randomBytes, verify } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { mulberry32 } from '../../lib/core/prng';
import { type FaultOptions, FaultPlan, NO_FAULTS } from '../../lib/tenant/faults';

export interface OrgAppUser {
  userId: string;
  userName: string;
  /** Office 365 app: the user's Entra object id; AD app: Base64 of the objectGUID. */
  externalId: string | null;
  /** Office 365 app only: profile.immutableId, what Okta pushes. */
  immutableId?: string | null;
  scope: 'USER' | 'GROUP';
  status: string;
  /** The app assignment id (0ua...). */
  assignmentId: string;
}

export interface OrgApp {
  id: string;
  /** Okta's app name: office365, active_directory. */
  name: string;
  label: string;
  status: 'ACTIVE' | 'INACTIVE';
  users: OrgAppUser[];
}

export interface ServiceApp {
  clientId: string;
  publicKey: KeyObject;
  /** Okta API scopes granted to the app. */
  scopes: string[];
  /** Whether an admin role (Read-only Administrator) is assigned to the app. */
  adminRole: boolean;
}

export type Bucket = 'token' | 'apps' | 'app-users' | 'app-links';

export interface OrgOptions {
  apps: OrgApp[];
  service: ServiceApp;
  /** An SSWS API token the org accepts, if any. */
  apiToken?: string;
  /** Requests per minute per bucket. */
  limits: Record<Bucket, number>;
  faults: FaultOptions;
  /** Each request first waits uniformly between these many milliseconds, in real time. */
  latencyMs?: [number, number];
  /** Requests other clients of the org spend in every window (Okta's buckets are org-wide). */
  spentElsewhere: Partial<Record<Bucket, number>>;
  /** Access token lifetime in seconds (Okta: 3600). */
  tokenLifetimeS: number;
  now: () => number;
}

/** Okta's published defaults for these endpoints are at least this (Rate limits, "Okta API endpoints and per minute limits"). */
export const DEFAULT_LIMITS: Record<Bucket, number> = { token: 600, apps: 100, 'app-users': 500, 'app-links': 600 };

export interface OrgStats {
  requests: number;
  byBucket: Record<Bucket, number>;
  faults: Record<string, number>;
  throttled: number;
}

export interface LocalOrg {
  url: string;
  stats: OrgStats;
  close(): Promise<void>;
}

const SCOPE_OF: Record<Exclude<Bucket, 'token'>, string> = { apps: 'okta.apps.read', 'app-users': 'okta.apps.read', 'app-links': 'okta.users.read' };

export async function startOrg(options: Partial<OrgOptions> & Pick<OrgOptions, 'apps' | 'service'>): Promise<LocalOrg> {
  const o: OrgOptions = { limits: DEFAULT_LIMITS, faults: NO_FAULTS, spentElsewhere: {}, tokenLifetimeS: 3600, now: Date.now, ...options };
  const faults = new FaultPlan(o.faults);
  const jitter = mulberry32(o.faults.seed + 1);
  const stats: OrgStats = { requests: 0, byBucket: { token: 0, apps: 0, 'app-users': 0, 'app-links': 0 }, faults: {}, throttled: 0 };
  const apps = new Map(o.apps.map((a) => [a.id, { app: a, at: new Map(a.users.map((u, i) => [u.userId, i])) }]));
  const linksOf = new Map<string, { app: OrgApp; user: OrgAppUser }[]>();
  for (const app of o.apps) {
    if (app.name === 'active_directory') continue;
    for (const user of app.users) (linksOf.get(user.userId) ?? linksOf.set(user.userId, []).get(user.userId)!).push({ app, user });
  }
  const tokens = new Map<string, { scopes: string[]; expMs: number }>();
  const usedJtis = new Set<string>();
  const windows = new Map<Bucket, { resetS: number; used: number }>();
  let url = '';

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(text);
  };
  const oktaError = (code: string, summary: string) => ({ errorCode: code, errorSummary: summary, errorLink: code, errorId: `oae${randomBytes(8).toString('hex')}`, errorCauses: [] });

  /** Fixed one-minute windows, as Okta's X-Rate-Limit-Reset (epoch seconds of the window's end) implies. */
  const rateLimit = (bucket: Bucket): { ok: boolean; headers: Record<string, string> } => {
    const nowS = Math.floor(o.now() / 1000);
    let w = windows.get(bucket);
    if (!w || nowS >= w.resetS) windows.set(bucket, (w = { resetS: (Math.floor(nowS / 60) + 1) * 60, used: o.spentElsewhere[bucket] ?? 0 }));
    const limit = o.limits[bucket];
    const ok = w.used < limit;
    if (ok) w.used++;
    return { ok, headers: { 'X-Rate-Limit-Limit': String(limit), 'X-Rate-Limit-Remaining': String(limit - w.used), 'X-Rate-Limit-Reset': String(w.resetS) } };
  };

  const server = createServer(async (req, res) => {
    try {
      stats.requests++;
      if (o.latencyMs) await delay(o.latencyMs[0] + Math.floor(jitter() * (o.latencyMs[1] - o.latencyMs[0])));
      const u = new URL(req.url ?? '/', url);
      const body = req.method === 'POST' ? await readBody(req) : '';
      if (req.method === 'POST' && u.pathname === '/oauth2/v1/token') {
        stats.byBucket.token++;
        const limited = rateLimit('token');
        if (!limited.ok) return tooMany(res, limited.headers);
        const answer = token(new URLSearchParams(body));
        return send(res, answer.status, answer.body, { ...limited.headers, 'Cache-Control': 'no-store', Pragma: 'no-cache' });
      }
      const route = routeOf(req.method ?? 'GET', u.pathname);
      if (!route) return send(res, 404, oktaError('E0000022', 'The endpoint does not support the provided HTTP method'));
      stats.byBucket[route.bucket]++;
      const fault = faults.next();
      if (fault.kind !== 'none') stats.faults[fault.kind] = (stats.faults[fault.kind] ?? 0) + 1;
      if (fault.kind === 'drop-before') return void req.socket.destroy();
      if (fault.kind === '503' || fault.kind === '504') return send(res, Number(fault.kind), oktaError('E0000009', 'Internal Server Error'));
      const limited = rateLimit(route.bucket);
      if (!limited.ok) return tooMany(res, limited.headers);
      const auth = authorise(req.headers.authorization, SCOPE_OF[route.bucket], u.pathname);
      if (auth) return send(res, auth.status, auth.body, { ...limited.headers, ...auth.headers });
      const answer = route.handle(u);
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'Content-Type': 'application/json', ...limited.headers, ...(answer.link ? { Link: answer.link } : {}) });
      if (fault.kind === 'drop-during') {
        // Half the answer, then the connection goes: the client must not trust a body until it is whole.
        res.write(text.slice(0, Math.floor(text.length / 2)));
        return void setImmediate(() => req.socket.destroy());
      }
      res.end(text);
    } catch (err) {
      send(res, 500, oktaError('E0000009', `Internal Server Error (${(err as Error).message})`));
    }
  });

  function tooMany(res: ServerResponse, headers: Record<string, string>): void {
    stats.throttled++;
    send(res, 429, oktaError('E0000047', 'API call exceeded rate limit due to too many requests.'), headers);
  }

  /** Token endpoint errors as Okta's OAuthError ({error, error_description}). */
  function token(form: URLSearchParams): { status: number; body: unknown } {
    const refuse = (status: number, error: string, description: string) => ({ status, body: { error, error_description: description } });
    if (form.get('grant_type') !== 'client_credentials') return refuse(400, 'unsupported_grant_type', "The grant type in the request isn't supported.");
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' || !form.get('client_assertion')) {
      return refuse(401, 'invalid_client', 'No client credentials found');
    }
    const parts = form.get('client_assertion')!.split('.');
    if (parts.length !== 3) return refuse(401, 'invalid_client', 'The client_assertion is not a valid JWT.');
    let header: { alg?: string };
    let claims: { iss?: string; sub?: string; aud?: string; exp?: number; iat?: number; jti?: string };
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return refuse(401, 'invalid_client', 'The client_assertion is not a valid JWT.');
    }
    const app = o.service;
    if (claims.iss !== app.clientId || claims.sub !== app.clientId) return refuse(401, 'invalid_client', 'The client_assertion iss and sub claims must be the client_id.');
    if (form.get('client_id') !== null && form.get('client_id') !== app.clientId) return refuse(401, 'invalid_client', 'The client_id does not match the client_assertion.');
    if (header.alg !== 'RS256' || !verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), app.publicKey, Buffer.from(parts[2], 'base64url'))) {
      return refuse(401, 'invalid_client', 'The client_assertion signature is invalid.');
    }
    if (claims.aud !== `${url}/oauth2/v1/token`) return refuse(401, 'invalid_client', 'The audience claim for client_assertion must be the endpoint invoked for the request.');
    const nowS = o.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp <= nowS) return refuse(401, 'invalid_client', 'The client_assertion token is expired.');
    if (typeof claims.iat !== 'number' || claims.iat > nowS + 60) return refuse(401, 'invalid_client', 'The client_assertion token was issued in the future.');
    if (claims.exp - claims.iat > 3600) return refuse(401, 'invalid_client', 'The client_assertion token has an expiration too far into the future.');
    if (!claims.jti) return refuse(401, 'invalid_client', 'The client_assertion token must have a jti claim.');
    if (usedJtis.has(claims.jti)) return refuse(401, 'invalid_client', "The client_assertion token's jti claim has already been used.");
    usedJtis.add(claims.jti);
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (scopes.length === 0) return refuse(400, 'invalid_scope', 'No scopes were requested.');
    const missing = scopes.filter((s) => !app.scopes.includes(s));
    if (missing.length) return refuse(400, 'invalid_scope', `The following scopes are not allowed: ${missing.join(' ')}.`);
    const access = randomBytes(24).toString('base64url');
    tokens.set(access, { scopes, expMs: o.now() + o.tokenLifetimeS * 1000 });
    return { status: 200, body: { token_type: 'Bearer', expires_in: o.tokenLifetimeS, access_token: access, scope: scopes.join(' ') } };
  }

  function authorise(header: string | undefined, scope: string, path: string): { status: number; body: unknown; headers?: Record<string, string> } | undefined {
    const [kind, value] = (header ?? '').split(' ', 2);
    if (kind === 'SSWS' && o.apiToken !== undefined && value === o.apiToken) return undefined;
    const t = kind === 'Bearer' ? tokens.get(value) : undefined;
    if (!t || t.expMs <= o.now()) return { status: 401, body: oktaError('E0000011', 'Invalid token provided') };
    if (!t.scopes.includes(scope)) {
      const www = `Bearer authorization_uri="${url}/oauth2/v1/authorize", realm="IdpTokenEndpoint", scope="${scope}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${path}"`;
      return { status: 403, body: undefined, headers: { 'WWW-Authenticate': www } };
    }
    if (!o.service.adminRole) return { status: 403, body: oktaError('E0000006', 'You do not have permission to perform the requested action') };
    return undefined;
  }

  type Answer = { status: number; body: unknown; link?: string };
  function routeOf(method: string, path: string): { bucket: Exclude<Bucket, 'token'>; handle: (u: URL) => Answer } | undefined {
    if (method !== 'GET') return undefined;
    if (path === '/api/v1/apps') return { bucket: 'apps', handle: listApps };
    let m = /^\/api\/v1\/apps\/([^/]+)\/users$/.exec(path);
    if (m) {
      const appId = decodeURIComponent(m[1]);
      return { bucket: 'app-users', handle: (u) => listAppUsers(appId, u) };
    }
    m = /^\/api\/v1\/users\/([^/]+)\/appLinks$/.exec(path);
    if (m) {
      const userId = decodeURIComponent(m[1]);
      return { bucket: 'app-links', handle: () => listAppLinks(userId) };
    }
    return undefined;
  }

  function listApps(u: URL): Answer {
    const filter = u.searchParams.get('filter');
    const m = filter === null ? null : /^(name|status) eq "([^"]*)"$/.exec(filter);
    if (filter !== null && !m) return { status: 400, body: oktaError('E0000031', 'Invalid search criteria.') };
    const chosen = o.apps.filter((a) => !m || (m[1] === 'name' ? a.name === m[2] : a.status === m[2]));
    return { status: 200, body: chosen.map((a) => ({ id: a.id, name: a.name, label: a.label, status: a.status, signOnMode: a.name === 'active_directory' ? null : 'WS_FEDERATION' })), link: `<${u.href}>; rel="self"` };
  }

  function listAppUsers(appId: string, u: URL): Answer {
    const found = apps.get(appId);
    if (!found) return { status: 404, body: oktaError('E0000007', `Not found: Resource not found: ${appId} (AppInstance)`) };
    const requested = Number(u.searchParams.get('limit') ?? 50);
    const limit = Number.isInteger(requested) && requested > 0 ? Math.min(requested, 500) : 50;
    const after = u.searchParams.get('after');
    const from = after === null ? 0 : (found.at.get(Buffer.from(after, 'base64url').toString('utf8')) ?? -2) + 1;
    if (from < 0) return { status: 400, body: oktaError('E0000031', 'Invalid search criteria.') };
    const page = found.app.users.slice(from, from + limit);
    const self = new URL(`${url}/api/v1/apps/${appId}/users`);
    self.searchParams.set('limit', String(limit));
    const links = [`<${self.href}>; rel="self"`];
    if (from + limit < found.app.users.length) {
      const next = new URL(self.href);
      // Opaque to the client: the last user's id, encoded.
      next.searchParams.set('after', Buffer.from(page[page.length - 1].userId, 'utf8').toString('base64url'));
      links.push(`<${next.href}>; rel="next"`);
    }
    return { status: 200, body: page.map((p) => appUserJson(found.app, p)), link: links.join(', ') };
  }

  function appUserJson(app: OrgApp, p: OrgAppUser): unknown {
    const profile = app.name === 'active_directory' ? { email: p.userName } : { email: p.userName, immutableId: p.immutableId ?? null };
    return {
      id: p.userId,
      externalId: p.externalId,
      created: '2024-01-31T18:25:01.000Z',
      lastUpdated: '2024-01-31T18:25:03.000Z',
      scope: p.scope,
      status: p.status,
      statusChanged: '2024-01-31T18:25:03.000Z',
      passwordChanged: null,
      syncState: 'SYNCHRONIZED',
      lastSync: '2024-01-31T18:25:03.000Z',
      credentials: { userName: p.userName },
      profile,
      _links: { app: { href: `${url}/api/v1/apps/${app.id}` }, user: { href: `${url}/api/v1/users/${p.userId}` } },
    };
  }

  function listAppLinks(userId: string): Answer {
    const links = linksOf.get(userId);
    if (!links) return { status: 404, body: oktaError('E0000007', `Not found: Resource not found: ${userId} (User)`) };
    return {
      status: 200,
      body: links.map(({ app, user }, i) => ({
        id: userId,
        label: app.label,
        linkUrl: `${url}/home/${app.name}/${app.id}/1`,
        logoUrl: `${url}/img/logos/${app.name}.png`,
        appName: app.name,
        appInstanceId: app.id,
        appAssignmentId: user.assignmentId,
        credentialsSetup: false,
        hidden: false,
        sortOrder: i,
      })),
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
