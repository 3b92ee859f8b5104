/**
 * POST /$batch as the JSON batching page describes it (https://learn.microsoft.com/graph/json-batching):
 * up to 20 sub-requests whose ids are unique without regard to case, a Content-Type header on
 * every one that has a body, dependsOn run first (and a step whose prerequisite failed answered
 * 424 without being run), each answered with its own status, headers and body inside one 200,
 * in an order Graph does not promise: here a seeded shuffle, so a client that assumes request
 * order fails in a rehearsal. Sub-request URLs are relative to the version: '/v1.0/users/...' is
 * refused.
 */
import { type ApiAnswer, type ApiContext, handleApi } from './graph-api';
import { type GraphFault, errorBody, fault } from './graph-error';

export const MAX_BATCH = 20;

interface SubRequest {
  id: string;
  method: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  dependsOn?: string[];
}

export interface BatchAnswer {
  status: number;
  body?: unknown;
  fault?: GraphFault;
}

const badBatch = (message: string): BatchAnswer => ({ status: 400, fault: fault(400, 'BadRequest', message) });

function validate(requests: unknown[]): SubRequest[] | BatchAnswer {
  if (requests.length > MAX_BATCH) return badBatch(`Number of batch request steps exceeds the maximum of ${MAX_BATCH}.`);
  const ids = new Set<string>();
  for (const r of requests as Partial<SubRequest>[]) {
    if (typeof r?.id !== 'string' || r.id === '' || typeof r.method !== 'string' || typeof r.url !== 'string') {
      return badBatch('Invalid batch payload format: every request needs an id, a method and a url.');
    }
    if (ids.has(r.id.toLowerCase())) return badBatch('Batch request contains duplicate ids.');
    ids.add(r.id.toLowerCase());
    const headerNames = Object.keys(r.headers ?? {}).map((h) => h.toLowerCase());
    if (r.body !== undefined && !headerNames.includes('content-type')) return badBatch(`Write request id : ${r.id} does not contain Content-Type header or body.`);
  }
  for (const r of requests as SubRequest[]) {
    if (r.dependsOn !== undefined && (!Array.isArray(r.dependsOn) || r.dependsOn.some((d) => typeof d !== 'string' || !ids.has(d.toLowerCase())))) {
      return badBatch(`Request id ${r.id} depends on a request id that is not in the batch.`);
    }
  }
  return requests as SubRequest[];
}

export function runBatch(ctx: ApiContext, body: unknown, shuffle: <T>(items: T[]) => T[]): BatchAnswer {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) return badBatch('Invalid batch payload format.');
  const valid = validate(requests);
  if (!Array.isArray(valid)) return valid;

  const byId = new Map(valid.map((r) => [r.id.toLowerCase(), r]));
  const answers = new Map<string, ApiAnswer>();
  const visiting = new Set<string>();
  const run = (r: SubRequest): ApiAnswer => {
    const key = r.id.toLowerCase();
    const done = answers.get(key);
    if (done) return done;
    if (visiting.has(key)) return { status: 400, headers: {}, fault: fault(400, 'BadRequest', `Request id ${r.id} is part of a dependency cycle.`) };
    visiting.add(key);
    const prerequisites = (r.dependsOn ?? []).map((d) => run(byId.get(d.toLowerCase())!));
    const answer = prerequisites.some((p) => p.status >= 400)
      ? { status: 424, headers: {}, fault: fault(424, 'FailedDependency', 'Failed dependency.') }
      : subRequest(ctx, r);
    answers.set(key, answer);
    return answer;
  };
  for (const r of valid) run(r);

  const responses = valid.map((r) => {
    const answer = answers.get(r.id.toLowerCase())!;
    const headers = { ...answer.headers, ...(answer.status === 204 ? {} : { 'Content-Type': 'application/json' }) };
    const subBody = answer.fault ? errorBody(answer.fault, new Date(ctx.now()), undefined) : answer.text ?? answer.body;
    return { id: r.id, status: answer.status, headers, ...(subBody === undefined ? {} : { body: subBody }) };
  });
  return { status: 200, body: { responses: shuffle(responses) } };
}

function subRequest(ctx: ApiContext, r: SubRequest): ApiAnswer {
  const url = r.url.startsWith('/') ? r.url : `/${r.url}`;
  if (/^\/(v1\.0|beta)(\/|$)/i.test(url) || /^\/?https?:/i.test(r.url)) {
    const f = fault(400, 'BadRequest', `Invalid request URI '${r.url}': batch request URLs are relative to the version, for example /users/{id}.`);
    return { status: 400, headers: {}, fault: f };
  }
  const q = url.indexOf('?');
  const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return handleApi(ctx, {
    method: r.method,
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers,
    body: r.body,
  });
}
