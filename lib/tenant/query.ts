/**
 * OData query options of GET /users, as pure functions: $top, $select, $filter and the skip
 * token, with Graph's wording when they are refused.
 */
import { type GraphFault, fault } from './graph-error';
import type { CloudUser } from './state';

/** Decodes a query string without turning '+' into a space: UPNs may contain '+'. */
export function parseQuery(search: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    params.set(safeDecode(key), eq < 0 ? '' : safeDecode(part.slice(eq + 1)));
  }
  return params;
}

/** A malformed %-escape stays as written, so it is reported as not found rather than crashing the request. */
export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export const DEFAULT_TOP = 100;
export const MAX_TOP = 999;

export function parseTop(value: string | undefined): number | GraphFault {
  if (value === undefined) return DEFAULT_TOP;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (n >= 1 && n <= MAX_TOP) return n;
  return fault(400, 'Request_UnsupportedQuery', `Invalid page size specified: '${value}'. Must be between 1 and ${MAX_TOP} inclusive.`);
}

/** Properties the local tenant knows; the last two are always empty here but may be selected. */
const PROPERTIES = ['id', 'userPrincipalName', 'displayName', 'onPremisesImmutableId', 'onPremisesSyncEnabled', 'mail', 'proxyAddresses', 'onPremisesLastSyncDateTime'];
/** What Graph returns without $select, as far as this tenant holds it: never the on-prem properties. */
const DEFAULT_SELECT = ['id', 'displayName', 'mail', 'userPrincipalName'];

export function parseSelect(value: string | undefined): string[] | GraphFault {
  if (value === undefined || value.trim() === '') return DEFAULT_SELECT;
  const chosen: string[] = [];
  for (const raw of value.split(',')) {
    const name = PROPERTIES.find((p) => p.toLowerCase() === raw.trim().toLowerCase());
    if (!name) return fault(400, 'Request_BadRequest', `Could not find a property named '${raw.trim()}' on type 'microsoft.graph.user'.`);
    if (!chosen.includes(name)) chosen.push(name);
  }
  // Graph always returns the id, selected or not.
  return chosen.includes('id') ? chosen : ['id', ...chosen];
}

export function project(user: CloudUser, select: readonly string[]): Record<string, unknown> {
  const all: Record<string, unknown> = { ...user, proxyAddresses: [], onPremisesLastSyncDateTime: null };
  return Object.fromEntries(select.map((p) => [p, all[p]]));
}

export interface Filter {
  property: 'userPrincipalName' | 'onPremisesImmutableId' | 'id';
  value: string;
}

/** `property eq 'value'` with '' for a quote inside the value: the only filters idrecon sends. */
export function parseFilter(value: string): Filter | GraphFault {
  const m = /^\s*(userPrincipalName|onPremisesImmutableId|id)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(value);
  if (!m) return fault(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
  const property = (['userPrincipalName', 'onPremisesImmutableId', 'id'] as const).find((p) => p.toLowerCase() === m[1].toLowerCase())!;
  return { property, value: m[2].replace(/''/g, "'") };
}

export function matches(user: CloudUser, filter: Filter): boolean {
  const actual = user[filter.property];
  if (actual === null) return false;
  // UPN and id compare without case in Graph; ImmutableIDs are base64, where case matters.
  return filter.property === 'onPremisesImmutableId' ? actual === filter.value : actual.toLowerCase() === filter.value.toLowerCase();
}

/** An opaque token: the offset of the next page, which stays valid because users are never reordered. */
export function skipToken(offset: number): string {
  return Buffer.from(`idrecon-offset:${offset}`).toString('base64url');
}

export function parseSkipToken(value: string | undefined): number | GraphFault {
  if (value === undefined) return 0;
  const m = /^idrecon-offset:(\d+)$/.exec(Buffer.from(value, 'base64url').toString());
  if (!m) return fault(400, 'Directory_ExpiredPageToken', 'The specified page token value has expired and can no longer be included in your request.');
  return Number(m[1]);
}

export const isFault = (v: unknown): v is GraphFault => typeof v === 'object' && v !== null && 'status' in v && 'code' in v;
