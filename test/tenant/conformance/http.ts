/**
 * Plain HTTP to the local tenant, for the conformance cases: the request line goes out byte for
 * byte as written (no client library encodes or decodes anything), with a token from the
 * tenant's token endpoint.
 */
import { request } from 'node:http';
import type { LocalTenant, TenantOptions } from '../../../lib/tenant/server';
import type { CloudUser } from '../../../lib/formats/cloud-users';
import { CLIENT_ID, SECRET, TENANT_ID, serve } from '../harness';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or the text when the answer is not JSON. */
  body: any;
}

export interface Http {
  tenant: LocalTenant;
  send(method: string, path: string, headers?: Record<string, string>, body?: unknown): Promise<Answer>;
  get(path: string, headers?: Record<string, string>): Promise<Answer>;
  patch(path: string, body: unknown): Promise<Answer>;
  batch(requests: unknown[]): Promise<Answer>;
  close(): Promise<void>;
}

export function raw(tenant: LocalTenant, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  const url = new URL(tenant.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers: body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        if (/json/.test(String(res.headers['content-type']))) parsed = JSON.parse(text);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function token(tenant: LocalTenant): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET, scope: 'https://graph.microsoft.com/.default' }).toString();
  const answer = await raw(tenant, 'POST', `/${TENANT_ID}/oauth2/v2.0/token`, { 'Content-Type': 'application/x-www-form-urlencoded' }, form);
  return answer.body.access_token;
}

export async function http(users: CloudUser[], options: Partial<TenantOptions> = {}): Promise<Http> {
  const tenant = await serve({ users, ...options });
  const bearer = `Bearer ${await token(tenant)}`;
  const send = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
    raw(tenant, method, path, { Authorization: bearer, ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) }, body === undefined ? undefined : JSON.stringify(body));
  return {
    tenant,
    send,
    get: (path, headers) => send('GET', path, headers),
    patch: (path, body) => send('PATCH', path, {}, body),
    batch: (requests) => send('POST', '/v1.0/$batch', {}, { requests }),
    close: () => tenant.close(),
  };
}

/** The fields of Graph's error body a case compares. */
export const error = (a: Answer) => ({ status: a.status, code: a.body?.error?.code, message: a.body?.error?.message });

export const ids = (a: Answer): string[] => a.body.value.map((u: { userPrincipalName?: string; id: string }) => u.userPrincipalName ?? u.id);
