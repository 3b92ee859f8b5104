/**
 * The Graph calls apply makes: fresh reads of users in $batch requests of 20, and PATCHes whose
 * outcome (status, Graph's error, request-id, attempts) is recorded rather than thrown.
 */
import { type Client, GraphError, ResponseType } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../graph/clock';
import { graphFailure } from '../graph/client';
import { type RetryPolicy, type Tries, retryDelay } from '../graph/retry';

export interface LiveUser {
  id: string;
  userPrincipalName: string;
  onPremisesImmutableId: string | null;
  onPremisesSyncEnabled: boolean | null;
}

export interface GraphAnswer {
  ok: boolean;
  status: number;
  code: string;
  message: string;
  requestId: string;
}

export type ReadResult = { user: LiveUser } | { failure: GraphAnswer };

const SELECT = '$select=id,userPrincipalName,onPremisesImmutableId,onPremisesSyncEnabled';
/** Graph's limit of requests in one $batch. */
export const BATCH_SIZE = 20;

interface SubResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: { error?: { code?: string; message?: string; innerError?: { 'request-id'?: string } } } & Partial<LiveUser>;
}

function outcomeOf(status: number, body: SubResponse['body'], requestId = ''): GraphAnswer {
  const error = body?.error;
  return { ok: status < 300, status, code: error?.code ?? '', message: error?.message ?? '', requestId: error?.innerError?.['request-id'] ?? requestId };
}

/**
 * Reads up to 20 users in one $batch. A throttled sub-request comes back as a 429 inside a 200,
 * which no middleware sees: those are asked for again after their Retry-After.
 */
export async function readUsers(client: Client, ids: readonly string[], clock: Clock, policy: RetryPolicy): Promise<Map<string, ReadResult>> {
  const results = new Map<string, ReadResult>();
  let pending = [...ids];
  for (let retry = 0; pending.length > 0; retry++) {
    // Sub-request URLs are relative to the version: Graph rejects "/v1.0/users/...".
    const requests = pending.map((id, i) => ({ id: String(i), method: 'GET', url: `/users/${encodeURIComponent(id)}?${SELECT}` }));
    let answer: { responses: SubResponse[] };
    try {
      answer = await client.api('/$batch').post({ requests });
    } catch (err) {
      throw graphFailure(err, 'POST /$batch (reading users before writing)');
    }
    const throttled: string[] = [];
    let wait = 0;
    for (const r of answer.responses) {
      const id = pending[Number(r.id)];
      const delay = r.status === 429 ? retryDelay({ status: 429, retryAfter: r.headers?.['Retry-After'] ?? r.headers?.['retry-after'] ?? null }, retry, policy, clock.now()) : undefined;
      if (delay !== undefined) {
        throttled.push(id);
        wait = Math.max(wait, delay);
      } else if (r.status === 200 && r.body) {
        const { id: userId, userPrincipalName, onPremisesImmutableId, onPremisesSyncEnabled } = r.body as LiveUser;
        results.set(id, { user: { id: userId, userPrincipalName, onPremisesImmutableId: onPremisesImmutableId ?? null, onPremisesSyncEnabled: onPremisesSyncEnabled ?? null } });
      } else {
        results.set(id, { failure: outcomeOf(r.status, r.body, r.headers?.['request-id']) });
      }
    }
    pending = throttled;
    if (pending.length > 0) await clock.sleep(wait);
  }
  return results;
}

/** PATCH /users/{id}; Graph's answer is the outcome, whatever it is. `tries` counts the requests sent. */
export async function patchUser(client: Client, id: string, body: Record<string, string | null>, tries: Tries): Promise<GraphAnswer> {
  let res: Response;
  try {
    res = await client.api(`/users/${encodeURIComponent(id)}`).middlewareOptions([tries]).responseType(ResponseType.RAW).patch(body);
  } catch (err) {
    // The connection kept failing after every retry: no answer from Graph at all.
    const message = err instanceof GraphError || err instanceof Error ? err.message : String(err);
    return { ok: false, status: 0, code: 'NoResponse', message, requestId: '' };
  }
  const requestId = res.headers.get('request-id') ?? '';
  if (res.ok) return { ok: true, status: res.status, code: '', message: '', requestId };
  let parsed: SubResponse['body'];
  try {
    parsed = (await res.json()) as SubResponse['body'];
  } catch {
    parsed = undefined;
  }
  return outcomeOf(res.status, parsed, requestId);
}
