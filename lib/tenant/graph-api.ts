/**
 * The Graph v1.0 resources the local tenant serves, as a function from a parsed request to an
 * answer: no sockets here, so $batch can run its sub-requests through the same code. Each route
 * names the application permissions Graph's API page lists for it and its base cost in
 * resource units; adding a resource is adding a route.
 */
import { handleDirectory } from './directory-api';
import { type GraphFault, fault } from './graph-error';
import { checkFilter, isFault, matches, parseFilter, parseQuery, parseSelect, parseSkipToken, parseTop, project, safeDecode, skipToken } from './query';
import { SYNCED_MESSAGE, checkPatch } from './rules';
import type { TenantRoles } from './roles';
import type { TenantState } from './state';
import type { CloudUser } from '../formats/cloud-users';
import { type Throttle, costOf } from './throttle';

export interface ApiRequest {
  method: string;
  /** Path below /v1.0, e.g. /users/abc, not yet decoded. */
  path: string;
  /** Raw query string without '?'. */
  query: string;
  /** Request headers, names in lower case. */
  headers: Record<string, string>;
  body: unknown;
  /** Graph's version the path is below; v1.0 unless said. */
  version?: 'v1.0' | 'beta';
}

export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  /** A JSON body, a GraphFault to be wrapped in Graph's error shape, or nothing (204). */
  body?: unknown;
  /** A text/plain body (GET /users/$count). */
  text?: string;
  fault?: GraphFault;
}

/** The app calling, from its access token. */
export interface Caller {
  appId: string;
  /** The application permissions granted to the app (the token's `roles` claim). */
  roles: readonly string[];
}

export interface ApiContext {
  state: TenantState;
  throttle: Throttle;
  caller: Caller;
  /** Absolute base of nextLinks, e.g. https://127.0.0.1:1234/v1.0. */
  base: string;
  now: () => number;
  onChange: () => void;
  /** Directory roles, groups and eligibility (lib/tenant/roles.ts). */
  roles: TenantRoles;
}

/** A request matched to a route: the decoded key segment, if the route has one, and the query options. */
export interface Matched {
  key?: string;
  params: Map<string, string>;
  req: ApiRequest;
}

export interface Route {
  method: 'GET' | 'PATCH' | 'DELETE' | 'POST';
  /** Segments below /v1.0; '{key}' stands for one id (or UPN) segment. */
  path: string;
  /** Any one of these application permissions allows the call (the API page's "Permissions" table). */
  permissions: readonly string[];
  /** Resource units before $select, $expand and $top adjust it (throttling limits page). */
  baseCost: number;
  /** Query options this route implements; others are refused, never silently ignored. */
  options: readonly string[];
  /** The Graph API page the route follows. */
  page: string;
  handle(ctx: ApiContext, m: Matched): ApiAnswer;
}

const READ_USERS = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const WRITE_USERS = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];
const READ_DOMAINS = ['Domain.Read.All', 'Domain.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

const failed = (f: GraphFault): ApiAnswer => ({ status: f.status, headers: f.headers ?? {}, fault: f });
const notFound = (key: string): ApiAnswer =>
  failed(fault(404, 'Request_ResourceNotFound', `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`));
const json = (status: number, body: unknown): ApiAnswer => ({ status, headers: {}, body });

export const ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/users',
    permissions: READ_USERS,
    baseCost: 2,
    options: ['$select', '$top', '$filter', '$skiptoken', '$count'],
    page: 'https://learn.microsoft.com/graph/api/user-list',
    handle: (ctx, m) => listUsers(ctx, m),
  },
  {
    method: 'GET',
    path: '/users/$count',
    permissions: READ_USERS,
    baseCost: 1,
    options: ['$filter'],
    page: 'https://learn.microsoft.com/graph/api/user-list',
    handle: (ctx, m) => countUsers(ctx, m),
  },
  {
    method: 'GET',
    path: '/users/{key}',
    permissions: READ_USERS,
    baseCost: 1,
    options: ['$select'],
    page: 'https://learn.microsoft.com/graph/api/user-get',
    handle: (ctx, m) => withUser(ctx, m, (user) => getUser(ctx, m, user)),
  },
  {
    method: 'PATCH',
    path: '/users/{key}',
    permissions: WRITE_USERS,
    baseCost: 1,
    options: [],
    page: 'https://learn.microsoft.com/graph/api/user-update',
    handle: (ctx, m) => withUser(ctx, m, (user) => patchUser(ctx, m, user)),
  },
  {
    method: 'DELETE',
    path: '/users/{key}',
    permissions: WRITE_USERS,
    baseCost: 1,
    options: [],
    page: 'https://learn.microsoft.com/graph/api/user-delete',
    handle: (ctx, m) => withUser(ctx, m, (user) => deleteUser(ctx, user)),
  },
  {
    method: 'GET',
    path: '/domains',
    permissions: READ_DOMAINS,
    baseCost: 1,
    options: ['$select'],
    page: 'https://learn.microsoft.com/graph/api/domain-list',
    handle: (ctx) => json(200, { '@odata.context': `${ctx.base}/$metadata#domains`, value: ctx.state.listDomains() }),
  },
  {
    method: 'GET',
    path: '/domains/{key}',
    permissions: READ_DOMAINS,
    baseCost: 1,
    options: ['$select'],
    page: 'https://learn.microsoft.com/graph/api/domain-get',
    handle: (ctx, m) => {
      const domain = ctx.state.domain(m.key!);
      return domain ? json(200, { '@odata.context': `${ctx.base}/$metadata#domains/$entity`, ...domain }) : notFound(m.key!);
    },
  },
];

/**
 * The path's segments with the key decoded. Graph addresses an entity as /users/{key} or
 * /users('{key}'); a UPN that starts with '$' only in the second form, since /users/$x is read as
 * an OData segment (user-get page).
 */
function segmentsOf(path: string): { segments: string[]; key?: string } | GraphFault {
  const raw = path.split('/').filter(Boolean);
  const first = raw[0] ? safeDecode(raw[0]) : '';
  const paren = /^([A-Za-z]+)\('((?:[^']|'')*)'\)$/.exec(first);
  if (paren) return { segments: [paren[1].toLowerCase(), '{key}', ...raw.slice(1).map((s) => safeDecode(s))], key: paren[2].replace(/''/g, "'") };
  if (raw.length < 2) return { segments: raw.map((s) => safeDecode(s).toLowerCase()) };
  const second = safeDecode(raw[1]);
  if (second.startsWith('$')) {
    if (second.toLowerCase() === '$count') return { segments: [first.toLowerCase(), '$count', ...raw.slice(2)] };
    return fault(400, 'BadRequest', `Resource not found for the segment '${second}'.`);
  }
  return { segments: [first.toLowerCase(), '{key}', ...raw.slice(2).map((s) => safeDecode(s))], key: second };
}

export function handleApi(ctx: ApiContext, req: ApiRequest): ApiAnswer {
  // Role management, group members, beta users and the sync settings: lib/tenant/directory-api.ts.
  const version = req.version ?? 'v1.0';
  const directory = handleDirectory(
    { state: ctx.state, roles: ctx.roles, granted: ctx.caller.roles, base: ctx.base.replace(/\/v1\.0$/, `/${version}`) },
    { method: req.method.toUpperCase(), path: req.path, query: req.query, version },
  );
  if (directory) {
    const charged = ctx.throttle.charge(ctx.caller.appId, costOf(req.method.toUpperCase(), 1, { select: true, expand: false, top: undefined }), ctx.now());
    const answer = charged.fault ? failed(charged.fault) : directory;
    return { ...answer, headers: { ...charged.headers, ...answer.headers } };
  }
  const parsed = segmentsOf(req.path);
  if (isFault(parsed)) return failed(parsed);
  const shape = `/${parsed.segments.join('/')}`;
  const candidates = ROUTES.filter((r) => r.path.toLowerCase() === shape.toLowerCase());
  if (candidates.length === 0) return failed(fault(400, 'BadRequest', `Resource not found for the segment '${parsed.segments.at(-1) ?? ''}'.`));
  const method = req.method.toUpperCase();
  const route = candidates.find((r) => r.method === method);
  if (!route) return failed(fault(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request uri.'));

  const params = parseQuery(req.query);
  const top = params.get('$top');
  const cost = costOf(method, route.baseCost, { select: params.has('$select'), expand: params.has('$expand'), top: top && /^\d+$/.test(top) ? Number(top) : undefined });
  // Every request counts against the budget, refused or not (throttling page: requests sent while throttled count).
  const charged = ctx.throttle.charge(ctx.caller.appId, cost, ctx.now());
  const answer = (() => {
    if (charged.fault) return failed(charged.fault);
    if (!route.permissions.some((p) => ctx.caller.roles.includes(p))) return failed(fault(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'));
    const unsupported = [...params.keys()].find((k) => k.startsWith('$') && !route.options.includes(k));
    if (unsupported) return failed(fault(400, 'Request_UnsupportedQuery', `Query option '${unsupported}' is not supported by the local tenant.`));
    return route.handle(ctx, { key: parsed.key, params, req });
  })();
  return { ...answer, headers: { ...charged.headers, ...answer.headers } };
}

function withUser(ctx: ApiContext, m: Matched, then: (user: CloudUser) => ApiAnswer): ApiAnswer {
  const user = ctx.state.find(m.key!);
  return user ? then(user) : notFound(m.key!);
}

function getUser(ctx: ApiContext, m: Matched, user: CloudUser): ApiAnswer {
  const select = parseSelect(m.params.get('$select'));
  if (isFault(select)) return failed(select);
  const context = m.params.has('$select') ? `users(${select.join(',')})/$entity` : 'users/$entity';
  return json(200, { '@odata.context': `${ctx.base}/$metadata#${context}`, ...project(user, select) });
}

function patchUser(ctx: ApiContext, m: Matched, user: CloudUser): ApiAnswer {
  const change = checkPatch(ctx.state, user, m.req.body);
  if (isFault(change)) return failed(change);
  if (Object.keys(change).length > 0) {
    ctx.state.update(user, change);
    ctx.onChange();
  }
  return { status: 204, headers: {} };
}

function deleteUser(ctx: ApiContext, user: CloudUser): ApiAnswer {
  // Directory synchronization owns synced users, deletion included.
  if (user.onPremisesSyncEnabled === true) return failed(fault(400, 'Request_BadRequest', SYNCED_MESSAGE));
  ctx.state.remove(user);
  ctx.onChange();
  return { status: 204, headers: {} };
}

/** Advanced query parameters (advanced queries page): the header ConsistencyLevel: eventual, and $count=true. */
const isAdvanced = (m: Matched, countRequired: boolean) =>
  m.req.headers.consistencylevel?.toLowerCase() === 'eventual' && (!countRequired || m.params.get('$count')?.toLowerCase() === 'true');

function filtered(ctx: ApiContext, m: Matched, advanced: boolean): CloudUser[] | GraphFault {
  const text = m.params.get('$filter');
  const live = ctx.state.users;
  if (text === undefined) return live;
  const filter = parseFilter(text);
  if (isFault(filter)) return filter;
  const refused = checkFilter(filter, advanced);
  if (refused) return refused;
  return live.filter((u) => !ctx.state.isDeleted(u) && matches(u, filter));
}

function listUsers(ctx: ApiContext, m: Matched): ApiAnswer {
  const top = parseTop(m.params.get('$top'));
  if (isFault(top)) return failed(top);
  const select = parseSelect(m.params.get('$select'));
  if (isFault(select)) return failed(select);
  const offset = parseSkipToken(m.params.get('$skiptoken'));
  if (isFault(offset)) return failed(offset);
  const count = m.params.get('$count');
  if (count !== undefined && !['true', 'false'].includes(count.toLowerCase())) {
    return failed(fault(400, 'BadRequest', `Invalid value '${count}' for $count query option found. The $count query option requires a Boolean value.`));
  }
  const advanced = isAdvanced(m, true);
  const users = filtered(ctx, m, advanced);
  if (isFault(users)) return failed(users);
  // A page may come back short where users were deleted: the offsets of the others stay put.
  const page = users.slice(offset, offset + top).filter((u) => !ctx.state.isDeleted(u));
  const context = m.params.has('$select') ? `users(${select.join(',')})` : 'users';
  const body: Record<string, unknown> = { '@odata.context': `${ctx.base}/$metadata#${context}` };
  // $count=true without ConsistencyLevel: eventual is ignored by Graph, not refused.
  if (advanced) body['@odata.count'] = users.filter((u) => !ctx.state.isDeleted(u)).length;
  if (offset + top < users.length) body['@odata.nextLink'] = nextLink(ctx.base, m.params, offset + top);
  body.value = page.map((u) => project(u, select));
  return json(200, body);
}

/** GET /users/$count: a plain-text number, with ConsistencyLevel: eventual only. */
function countUsers(ctx: ApiContext, m: Matched): ApiAnswer {
  if (!isAdvanced(m, false)) return failed(fault(400, 'Request_BadRequest', '$count is not currently supported.'));
  const users = filtered(ctx, m, true);
  if (isFault(users)) return failed(users);
  return { status: 200, headers: {}, text: String(users.filter((u) => !ctx.state.isDeleted(u)).length) };
}

/** Graph's nextLink is absolute and repeats the query, with the skip token replaced. */
function nextLink(base: string, params: Map<string, string>, offset: number): string {
  const query = [...params.entries()]
    .filter(([k]) => k !== '$skiptoken')
    .map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/g, ',')}`);
  query.push(`$skiptoken=${skipToken(offset)}`);
  return `${base}/users?${query.join('&')}`;
}
