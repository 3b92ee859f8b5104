/**
 * POST /$batch: up to 20 sub-requests with unique ids, each answered with its own status,
 * headers and body inside one 200. Sub-request URLs are relative to the version, as Graph wants
 * them: '/v1.0/users/...' is refused (the SDK's BatchRequestContent builds exactly that).
 */
import { type ApiAnswer, type ApiContext, handleApi } from './graph-api';
import { type GraphFault, errorBody, fault } from './graph-error';

export const MAX_BATCH = 20;

interface SubRequest {
  id: string;
  method: string;
  url: string;
  body?: unknown;
}

export interface BatchAnswer {
  status: number;
  body?: unknown;
  fault?: GraphFault;
}

export function runBatch(ctx: ApiContext, body: unknown): BatchAnswer {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) return { status: 400, fault: fault(400, 'BadRequest', 'Invalid batch payload format.') };
  if (requests.length > MAX_BATCH) {
    return { status: 400, fault: fault(400, 'BadRequest', `Number of batch request steps exceeds the maximum of ${MAX_BATCH}.`) };
  }
  const ids = new Set<string>();
  for (const r of requests as Partial<SubRequest>[]) {
    if (typeof r?.id !== 'string' || typeof r.method !== 'string' || typeof r.url !== 'string') {
      return { status: 400, fault: fault(400, 'BadRequest', 'Invalid batch payload format: every request needs an id, a method and a url.') };
    }
    if (ids.has(r.id)) return { status: 400, fault: fault(400, 'BadRequest', 'Batch request contains duplicate ids.') };
    ids.add(r.id);
  }
  const responses = (requests as SubRequest[]).map((r) => {
    const answer = subRequest(ctx, r);
    const headers = { ...answer.headers, ...(answer.status === 204 ? {} : { 'Content-Type': 'application/json' }) };
    const subBody = answer.fault ? errorBody(answer.fault, new Date(ctx.now()), undefined) : answer.body;
    return { id: r.id, status: answer.status, headers, ...(subBody === undefined ? {} : { body: subBody }) };
  });
  return { status: 200, body: { responses } };
}

function subRequest(ctx: ApiContext, r: SubRequest): ApiAnswer {
  const url = r.url.startsWith('/') ? r.url : `/${r.url}`;
  if (/^\/(v1\.0|beta)(\/|$)/i.test(url) || /^\/?https?:/i.test(r.url)) {
    const f = fault(400, 'BadRequest', `Invalid request URI '${r.url}': batch request URLs are relative to the version, for example /users/{id}.`);
    return { status: 400, headers: {}, fault: f };
  }
  const q = url.indexOf('?');
  return handleApi(ctx, {
    method: r.method,
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    body: r.body,
  });
}
