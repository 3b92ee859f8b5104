/**
 * The local tenant over HTTP (or HTTPS, given a certificate) on loopback: the token endpoint and
 * the discovery documents, then Graph v1.0 behind a bearer check, throttling and injected faults. A thin shell: routing, bodies and sockets; what each
 * request means is decided in graph-api.ts, batch.ts and token.ts.
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { IdreconError } from '../errors';
import { runBatch } from './batch';
import { type ApiContext, handleApi } from './graph-api';
import { safeDecode } from './query';
import { type GraphFault, errorBody, fault } from './graph-error';
import { type FaultKind, type FaultOptions, FaultPlan, NO_FAULTS } from './faults';
import { mulberry32 } from '../core/prng';
import { TenantState, domainsFromUsers } from './state';
import { type Domain } from '../formats/domains';
import { type CloudUser } from '../formats/cloud-users';
import { TenantRoles } from './roles';
import { type ThrottleOptions, Throttle, WRITE_BUDGET, resourceUnitsFor } from './throttle';
import { type AppRegistration, TokenIssuer } from './token';

export interface TenantOptions {
  users: CloudUser[];
  /** Defaults to every UPN suffix as a verified managed domain (domainsFromUsers). */
  domains?: Domain[];
  app: AppRegistration;
  /** 0 picks a free port. */
  port?: number;
  throttle?: Partial<ThrottleOptions>;
  faults?: Partial<FaultOptions>;
  /** The tenant's clock, for token lifetimes and throttling windows; tests share one with the client. */
  now?: () => number;
  /** Called after a write changed the directory. */
  onChange?: () => void;
  /** Serve HTTPS with this key and certificate (PEM), as Microsoft's libraries need for sign-in. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Seed of the order $batch answers come in (default 1). */
  batchSeed?: number;
  /** The tenant has the licence PIM needs, so role eligibility can be read (default true). */
  pim?: boolean;
}

export interface TenantStats {
  /** Tokens the token endpoint issued. */
  tokens: number;
  /** Graph requests, $batch counted once. */
  requests: number;
  faults: Record<Exclude<FaultKind, 'none'>, number>;
  /** 429s to whole requests (a throttled $batch sub-request is inside a 200). */
  throttled: number;
}

export interface LocalTenant {
  /** http(s)://127.0.0.1:PORT: Graph is below /v1.0, the token endpoint below /{tenant}/oauth2/v2.0/token. */
  url: string;
  state: TenantState;
  stats: TenantStats;
  close(): Promise<void>;
  /** Settles when the server has stopped, by close() or otherwise. */
  closed: Promise<void>;
}

const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const MAX_BODY = 4 * 1024 * 1024;

export async function startTenant(options: TenantOptions): Promise<LocalTenant> {
  const now = options.now ?? Date.now;
  const state = new TenantState(options.users, options.domains ?? domainsFromUsers(options.users));
  const throttle = new Throttle(
    {
      writes: options.throttle?.writes ?? WRITE_BUDGET,
      resourceUnits: options.throttle?.resourceUnits ?? resourceUnitsFor(options.users.length),
    },
    options.app.tenantId,
  );
  const batchRandom = mulberry32(options.batchSeed ?? 1);
  const shuffle = <T>(items: T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(batchRandom() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  const roles = new TenantRoles(options.users, options.pim ?? true);
  const plan = new FaultPlan({ ...NO_FAULTS, ...options.faults });
  const tokens = new TokenIssuer(options.app, now);
  const stats: TenantStats = { tokens: 0, requests: 0, faults: { '503': 0, '504': 0, 'drop-before': 0, 'drop-during': 0 }, throttled: 0 };
  let url = '';

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: unknown, cut = false, text?: string) => {
    const bytes = Buffer.from(text ?? (body === undefined ? '' : JSON.stringify(body)));
    const type = text !== undefined ? { 'Content-Type': 'text/plain' } : body === undefined ? {} : { 'Content-Type': JSON_TYPE };
    res.writeHead(status, { ...headers, ...type, 'Content-Length': String(bytes.length) });
    if (cut) {
      // Half an answer, then the connection goes: the client sees a body shorter than Content-Length.
      res.write(bytes.subarray(0, bytes.length >> 1), () => res.socket?.destroy());
      return;
    }
    res.end(bytes);
  };

  /** Graph's answer to one request: request-id on every response, client-request-id echoed. */
  const reply = (res: ServerResponse, ids: Ids, answer: { status: number; headers?: Record<string, string>; body?: unknown; text?: string; fault?: GraphFault }, cut = false) => {
    const headers = { ...answer.headers, 'request-id': ids.request, ...(ids.client ? { 'client-request-id': ids.client } : {}) };
    if (answer.fault?.status === 429) stats.throttled++;
    const body = answer.fault ? errorBody(answer.fault, new Date(now()), ids.client, ids.request) : answer.body;
    send(res, answer.status, headers, body, cut, answer.fault ? undefined : answer.text);
  };
  const refuse = (f: GraphFault) => ({ status: f.status, headers: f.headers, fault: f });

  const graph = async (req: IncomingMessage, res: ServerResponse, ids: Ids, path: string, query: string, raw: Buffer, version: 'v1.0' | 'beta' = 'v1.0') => {
    stats.requests++;
    const injected = plan.next();
    if (injected.delayMs > 0) await delay(injected.delayMs);
    if (injected.kind !== 'none') stats.faults[injected.kind]++;
    if (injected.kind === 'drop-before') return void req.socket.destroy();
    if (injected.kind === '503') return reply(res, ids, refuse(fault(503, 'serviceNotAvailable', 'Service unavailable.')));
    if (injected.kind === '504') return reply(res, ids, refuse(fault(504, 'UnknownError', 'Gateway timeout.')));
    const cut = injected.kind === 'drop-during';

    const caller = tokens.check(header(req, 'authorization'));
    if ('status' in caller) return reply(res, ids, refuse(caller), cut);
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        const unreadable = fault(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
        return reply(res, ids, refuse(unreadable), cut);
      }
    }
    const ctx: ApiContext = { state, throttle, caller, base: `${url}/v1.0`, now, onChange: options.onChange ?? (() => undefined), roles };
    const isBatch = path.toLowerCase() === '/$batch' && req.method === 'POST' && version === 'v1.0';
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : (v ?? '')]));
    reply(res, ids, isBatch ? runBatch(ctx, body, shuffle) : handleApi(ctx, { method: req.method ?? 'GET', path, query, headers, body, version }), cut);
  };

  const token = (res: ServerResponse, tenant: string, path: string, raw: Buffer) => {
    const answer = tokens.issue(tenant, new URLSearchParams(raw.toString('utf8')), `${url}${path}`);
    if (answer.status === 200) stats.tokens++;
    res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(answer.body));
  };

  const document = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  const route = async (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const ids: Ids = { request: randomUUID(), client: header(req, 'client-request-id') };
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (tokenPath && req.method === 'POST') return token(res, safeDecode(tokenPath[1]), path, raw);
    const tenantOf = (p: RegExp) => {
      const m = p.exec(path);
      return m && req.method === 'GET' ? safeDecode(m[1]) : undefined;
    };
    const known = (tenant: string) => tenant.toLowerCase() === options.app.tenantId.toLowerCase();
    const discovery = tenantOf(/^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/);
    if (discovery !== undefined) {
      if (!known(discovery)) return document(res, 400, { error: 'invalid_tenant', error_description: `AADSTS90002: Tenant '${discovery}' not found.` });
      return document(res, 200, tokens.openidConfiguration(url));
    }
    const keys = tenantOf(/^\/([^/]+)\/discovery\/v2\.0\/keys$/);
    if (keys !== undefined) return known(keys) ? document(res, 200, tokens.jwks()) : document(res, 404, {});
    if (req.method === 'GET' && path === '/common/discovery/instance') return document(res, 200, tokens.instanceDiscovery(url));
    if (path.startsWith('/v1.0/')) return graph(req, res, ids, path.slice('/v1.0'.length), q < 0 ? '' : target.slice(q + 1), raw);
    if (path.startsWith('/beta/')) return graph(req, res, ids, path.slice('/beta'.length), q < 0 ? '' : target.slice(q + 1), raw, 'beta');
    reply(res, ids, refuse(fault(404, 'NotFound', `No resource at '${path}': Graph is below /v1.0/, the token endpoint at /{tenant}/oauth2/v2.0/token.`)));
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.socket.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      route(req, res, Buffer.concat(chunks)).catch((err: Error) => {
        if (res.headersSent) res.socket?.destroy();
        else send(res, 500, {}, errorBody(fault(500, 'InternalServerError', err.message), new Date(now()), undefined));
      });
    });
  };
  const server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler);
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new IdreconError('SERVER_START', `cannot listen on 127.0.0.1:${options.port ?? 0} (${err.code ?? err.message}); choose another --port`)),
    );
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  return {
    url,
    state,
    stats,
    closed,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Ids {
  request: string;
  client: string | undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
