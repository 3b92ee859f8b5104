/**
 * The Graph v1.0 resources the local tenant serves, as a function from a parsed request to an
 * answer: no sockets here, so $batch can run its sub-requests through the same code.
 */
import { type GraphFault, fault } from './graph-error';
import { isFault, matches, parseFilter, parseQuery, parseSelect, parseSkipToken, parseTop, project, safeDecode, skipToken } from './query';
import { SYNCED_MESSAGE, checkPatch } from './rules';
import type { TenantState } from './state';
import { type Throttle, costOf } from './throttle';

export interface ApiRequest {
  method: string;
  /** Path below /v1.0, e.g. /users/abc. */
  path: string;
  /** Raw query string without '?'. */
  query: string;
  body: unknown;
}

export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  /** A JSON body, a GraphFault to be wrapped in Graph's error shape, or nothing (204). */
  body?: unknown;
  fault?: GraphFault;
}

export interface ApiContext {
  state: TenantState;
  throttle: Throttle;
  /** The app id the caller's token was issued to: throttling budgets are per app. */
  client: string;
  /** Absolute base of nextLinks, e.g. http://127.0.0.1:1234/v1.0. */
  base: string;
  now: () => number;
  onChange: () => void;
}

/** Options the local tenant implements; anything else is refused rather than silently ignored. */
const SUPPORTED_OPTIONS = ['$select', '$top', '$filter', '$skiptoken'];

const failed = (f: GraphFault): ApiAnswer => ({ status: f.status, headers: f.headers ?? {}, fault: f });
const notFound = (key: string): ApiAnswer =>
  failed(fault(404, 'Request_ResourceNotFound', `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`));
const json = (status: number, body: unknown): ApiAnswer => ({ status, headers: {}, body });

export function handleApi(ctx: ApiContext, req: ApiRequest): ApiAnswer {
  const segments = req.path.split('/').filter(Boolean);
  const params = parseQuery(req.query);
  const resource = segments[0]?.toLowerCase();
  if (resource !== 'users' && resource !== 'domains') {
    return failed(fault(400, 'BadRequest', `Resource not found for the segment '${segments[0] ?? ''}'.`));
  }
  const method = req.method.toUpperCase();
  const allowed = resource === 'domains' || segments.length === 1 ? ['GET'] : ['GET', 'PATCH', 'DELETE'];
  if (segments.length > 2 || !allowed.includes(method)) {
    return failed(fault(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request uri.'));
  }
  const unsupported = [...params.keys()].find((k) => k.startsWith('$') && !SUPPORTED_OPTIONS.includes(k));
  if (unsupported) return failed(fault(400, 'Request_UnsupportedQuery', `Query option '${unsupported}' is not supported by the local tenant.`));
  const throttled = ctx.throttle.charge(ctx.client, costOf(method, params.has('$select')), ctx.now());
  if (throttled) return failed(throttled);

  if (resource === 'domains') return domains(ctx, segments[1]);
  if (segments.length === 1) return listUsers(ctx, params);
  const key = safeDecode(segments[1]);
  const user = ctx.state.find(key);
  if (!user) return notFound(key);
  if (method === 'GET') {
    const select = parseSelect(params.get('$select'));
    if (isFault(select)) return failed(select);
    return json(200, { '@odata.context': `${ctx.base}/$metadata#users(${select.join(',')})/$entity`, ...project(user, select) });
  }
  if (method === 'DELETE') {
    // Directory synchronization owns synced users, deletion included.
    if (user.onPremisesSyncEnabled === true) return failed(fault(400, 'Request_BadRequest', SYNCED_MESSAGE));
    ctx.state.remove(user);
    ctx.onChange();
    return { status: 204, headers: {} };
  }
  const change = checkPatch(ctx.state, user, req.body);
  if (isFault(change)) return failed(change);
  if (Object.keys(change).length > 0) {
    ctx.state.update(user, change);
    ctx.onChange();
  }
  return { status: 204, headers: {} };
}

function domains(ctx: ApiContext, name: string | undefined): ApiAnswer {
  if (name === undefined) return json(200, { '@odata.context': `${ctx.base}/$metadata#domains`, value: ctx.state.listDomains() });
  const domain = ctx.state.domain(safeDecode(name));
  if (!domain) return notFound(safeDecode(name));
  return json(200, { '@odata.context': `${ctx.base}/$metadata#domains/$entity`, ...domain });
}

function listUsers(ctx: ApiContext, params: Map<string, string>): ApiAnswer {
  const top = parseTop(params.get('$top'));
  if (isFault(top)) return failed(top);
  const select = parseSelect(params.get('$select'));
  if (isFault(select)) return failed(select);
  const offset = parseSkipToken(params.get('$skiptoken'));
  if (isFault(offset)) return failed(offset);
  const filterText = params.get('$filter');
  let users = ctx.state.users;
  if (filterText !== undefined) {
    const filter = parseFilter(filterText);
    if (isFault(filter)) return failed(filter);
    users = users.filter((u) => matches(u, filter));
  }
  // A page may come back short where users were deleted: the offsets of the others stay put.
  const page = users.slice(offset, offset + top).filter((u) => !ctx.state.isDeleted(u));
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.base}/$metadata#users(${select.join(',')})`,
    value: page.map((u) => project(u, select)),
  };
  if (offset + top < users.length) body['@odata.nextLink'] = nextLink(ctx.base, params, offset + top);
  return json(200, body);
}

/** Graph's nextLink is absolute and repeats the query, with the skip token replaced. */
function nextLink(base: string, params: Map<string, string>, offset: number): string {
  const query = [...params.entries()]
    .filter(([k]) => k !== '$skiptoken')
    .map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/g, ',')}`);
  query.push(`$skiptoken=${skipToken(offset)}`);
  return `${base}/users?${query.join('&')}`;
}
