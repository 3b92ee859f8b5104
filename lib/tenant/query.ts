/**
 * OData query options as Graph reads them, as pure functions: the query string (decoded as an
 * HTML form, so a raw '+' is a space), $top, $select over every property of the user resource,
 * $filter with the operators Graph supports on users, advanced queries, and the skip token.
 */
import { type GraphFault, fault } from './graph-error';
import type { CloudUser } from '../formats/cloud-users';
import { DEFAULT_USER_SELECT, USER_PROPERTIES } from './user-properties';

/** System query options; Graph v1.0 also takes them without the '$' on directory resources. */
const SYSTEM_OPTIONS = ['$select', '$top', '$filter', '$count', '$skiptoken', '$search', '$orderby', '$expand', '$skip', '$format'];

/**
 * Decodes a query string as Graph does (application/x-www-form-urlencoded): '+' is a space and a
 * plus sign must be sent as %2B. Option names are matched without case and with or without '$'.
 */
export function parseQuery(search: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = formDecode(eq < 0 ? part : part.slice(0, eq));
    const lower = rawKey.toLowerCase();
    const key = SYSTEM_OPTIONS.find((o) => o === lower || o === `$${lower}`) ?? rawKey;
    params.set(key, eq < 0 ? '' : formDecode(part.slice(eq + 1)));
  }
  return params;
}

export function formDecode(s: string): string {
  return safeDecode(s.replace(/\+/g, ' '));
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

const PROPERTY_TYPES = new Map(USER_PROPERTIES.map(([name, type]) => [name.toLowerCase(), { name, type }]));

const noSuchProperty = (name: string) => fault(400, 'Request_BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.user'.`);

/** The canonical spelling of a property of the user resource, if it is one. */
export function userProperty(name: string): { name: string; type: string } | undefined {
  return PROPERTY_TYPES.get(name.trim().toLowerCase());
}

export function parseSelect(value: string | undefined): string[] | GraphFault {
  if (value === undefined || value.trim() === '') return DEFAULT_USER_SELECT;
  const chosen: string[] = [];
  for (const raw of value.split(',')) {
    const property = userProperty(raw);
    if (!property) return noSuchProperty(raw.trim());
    if (!chosen.includes(property.name)) chosen.push(property.name);
  }
  // Graph always returns the id, selected or not.
  return chosen.includes('id') ? chosen : ['id', ...chosen];
}

/** A property's value: from the seed or a write where the tenant has one, else Graph's empty value. */
export function valueOf(user: CloudUser, name: string): unknown {
  if (name in user && name !== 'extra' && name !== 'directoryRoles') return (user as unknown as Record<string, unknown>)[name];
  if (user.extra && name in user.extra) return user.extra[name];
  return PROPERTY_TYPES.get(name.toLowerCase())?.type.startsWith('Collection(') ? [] : null;
}

export function project(user: CloudUser, select: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(select.map((p) => [p, valueOf(user, p)]));
}

// ---- $filter ------------------------------------------------------------------------------

type Literal = string | boolean | null;
export type Filter =
  | { kind: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; expr: Filter }
  | { kind: 'cmp'; op: 'eq' | 'ne' | 'ge' | 'le'; property: string; value: Literal }
  | { kind: 'in'; property: string; values: Literal[] }
  | { kind: 'fn'; fn: 'startswith' | 'endswith'; property: string; value: string };

/**
 * What each filterable user property supports, from the user resource page ("Supports $filter
 * (...)") and the advanced query page: `basic` works as is; `advanced` needs ConsistencyLevel:
 * eventual and $count=true. A property not listed here is refused in a filter.
 */
const FILTERABLE: Record<string, { basic: string[]; advanced: string[] }> = {
  id: { basic: ['eq', 'in'], advanced: ['ne', 'not'] },
  userPrincipalName: { basic: ['eq', 'in', 'startswith', 'ge', 'le'], advanced: ['ne', 'not', 'endswith', 'null'] },
  mail: { basic: ['eq', 'in', 'startswith', 'ge', 'le'], advanced: ['ne', 'not', 'endswith', 'null'] },
  displayName: { basic: ['eq', 'in', 'startswith', 'ge', 'le'], advanced: ['ne', 'not', 'endswith', 'null'] },
  givenName: { basic: ['eq', 'in', 'startswith', 'ge', 'le'], advanced: ['ne', 'not', 'endswith', 'null'] },
  surname: { basic: ['eq', 'in', 'startswith', 'ge', 'le'], advanced: ['ne', 'not', 'endswith', 'null'] },
  ...Object.fromEntries(
    ['jobTitle', 'department', 'companyName', 'employeeId', 'city', 'country', 'state', 'usageLocation', 'officeLocation', 'userType'].map((p) => [
      p,
      { basic: ['eq', 'in', 'startswith', 'ge', 'le'], advanced: ['ne', 'not', 'null'] },
    ]),
  ),
  accountEnabled: { basic: ['eq'], advanced: ['ne', 'not', 'in'] },
  onPremisesSyncEnabled: { basic: ['eq', 'in'], advanced: ['ne', 'not', 'null'] },
  // Graph serves filters on the anchor from the advanced index only.
  onPremisesImmutableId: { basic: [], advanced: ['eq', 'ne', 'not', 'ge', 'le', 'in', 'null'] },
};

const unsupported = (message = 'Unsupported Query.') => fault(400, 'Request_UnsupportedQuery', message);
const needsAdvanced = (op: string) =>
  fault(
    400,
    'Request_UnsupportedQuery',
    `Operator '${op}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
  );

type Token = { t: 'str'; v: string } | { t: 'word'; v: string } | { t: 'punct'; v: string };

function tokenize(text: string): Token[] | GraphFault {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) i++;
    else if (c === "'") {
      let v = '';
      for (i++; ; i++) {
        if (i >= text.length) return unsupported();
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            v += "'";
            i++;
          } else break;
        } else v += text[i];
      }
      i++;
      tokens.push({ t: 'str', v });
    } else if ('(),:'.includes(c)) {
      tokens.push({ t: 'punct', v: c });
      i++;
    } else {
      const m = /^[^\s(),':]+/.exec(text.slice(i))!;
      tokens.push({ t: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peekWord(): string | undefined {
    const t = this.tokens[this.i];
    return t?.t === 'word' ? t.v.toLowerCase() : undefined;
  }

  private expect(v: string): void {
    const t = this.tokens[this.i++];
    if (!t || t.t !== 'punct' || t.v !== v) throw unsupported();
  }

  parse(): Filter {
    const f = this.or();
    if (this.i !== this.tokens.length) throw unsupported();
    return f;
  }

  private or(): Filter {
    let left = this.and();
    while (this.peekWord() === 'or') {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Filter {
    let left = this.unary();
    while (this.peekWord() === 'and') {
      this.i++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Filter {
    if (this.peekWord() === 'not') {
      this.i++;
      return { kind: 'not', expr: this.unary() };
    }
    const t = this.tokens[this.i];
    if (t?.t === 'punct' && t.v === '(') {
      this.i++;
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    return this.comparison();
  }

  private property(): string {
    const t = this.tokens[this.i++];
    if (!t || t.t !== 'word') throw unsupported();
    const p = userProperty(t.v);
    if (!p) throw noSuchProperty(t.v);
    return p.name;
  }

  private literal(): Literal {
    const t = this.tokens[this.i++];
    if (t?.t === 'str') return t.v;
    if (t?.t === 'word') {
      const w = t.v.toLowerCase();
      if (w === 'true' || w === 'false') return w === 'true';
      if (w === 'null') return null;
    }
    throw unsupported();
  }

  private comparison(): Filter {
    const fn = this.peekWord();
    if ((fn === 'startswith' || fn === 'endswith') && this.tokens[this.i + 1]?.v === '(') {
      this.i += 2;
      const property = this.property();
      this.expect(',');
      const value = this.literal();
      this.expect(')');
      if (typeof value !== 'string') throw unsupported();
      return { kind: 'fn', fn, property, value };
    }
    const property = this.property();
    const op = this.peekWord();
    this.i++;
    if (op === 'in') {
      this.expect('(');
      const values = [this.literal()];
      while (this.tokens[this.i]?.v === ',') {
        this.i++;
        values.push(this.literal());
      }
      this.expect(')');
      return { kind: 'in', property, values };
    }
    if (op === 'eq' || op === 'ne' || op === 'ge' || op === 'le') return { kind: 'cmp', op, property, value: this.literal() };
    throw unsupported();
  }
}

export function parseFilter(text: string): Filter | GraphFault {
  const tokens = tokenize(text);
  if (isFault(tokens)) return tokens;
  try {
    return new Parser(tokens).parse();
  } catch (err) {
    if (isFault(err)) return err;
    throw err;
  }
}

/** Why this filter needs the advanced query parameters, or that Graph refuses it outright. */
export function checkFilter(f: Filter, advanced: boolean, negated = false): GraphFault | undefined {
  if ('left' in f) return checkFilter(f.left, advanced, negated) ?? checkFilter(f.right, advanced, negated);
  if (f.kind === 'not') return (advanced ? undefined : needsAdvanced('not')) ?? checkFilter(f.expr, advanced, true);
  const rules = FILTERABLE[f.property];
  const refused = unsupported(`Unsupported or invalid query filter clause specified for property '${f.property}' of resource 'User'.`);
  if (!rules) return refused;
  const op = f.kind === 'fn' ? f.fn : f.kind === 'in' ? 'in' : f.value === null ? 'null' : f.op;
  const opName = f.kind === 'fn' ? (f.fn === 'startswith' ? 'startsWith' : 'endsWith') : f.kind === 'in' ? 'in' : f.op;
  if (f.kind === 'cmp' && f.op === 'ne' && !advanced) return needsAdvanced('ne');
  if (rules.basic.includes(op) && !negated) return undefined;
  if (rules.advanced.includes(op) || (negated && rules.basic.includes(op))) return advanced ? undefined : needsAdvanced(opName);
  return refused;
}

/** Directory strings compare without case, except the anchor, which is base64 where case matters. */
function same(property: string, actual: unknown, expected: Literal): boolean {
  if (actual === null || actual === undefined) return expected === null;
  if (typeof actual === 'string' && typeof expected === 'string') {
    return property === 'onPremisesImmutableId' ? actual === expected : actual.toLowerCase() === expected.toLowerCase();
  }
  return actual === expected;
}

export function matches(user: CloudUser, f: Filter): boolean {
  switch (f.kind) {
    case 'and':
      return matches(user, f.left) && matches(user, f.right);
    case 'or':
      return matches(user, f.left) || matches(user, f.right);
    case 'not':
      return !matches(user, f.expr);
    case 'in':
      return f.values.some((v) => same(f.property, valueOf(user, f.property), v));
    case 'fn': {
      const actual = valueOf(user, f.property);
      if (typeof actual !== 'string') return false;
      const a = actual.toLowerCase();
      const v = f.value.toLowerCase();
      return f.fn === 'startswith' ? a.startsWith(v) : a.endsWith(v);
    }
    case 'cmp': {
      const actual = valueOf(user, f.property);
      if (f.op === 'eq') return same(f.property, actual, f.value);
      if (f.op === 'ne') return !same(f.property, actual, f.value);
      if (typeof actual !== 'string' || typeof f.value !== 'string') return false;
      const cmp = actual.toLowerCase().localeCompare(f.value.toLowerCase());
      return f.op === 'ge' ? cmp >= 0 : cmp <= 0;
    }
  }
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
