/**
 * The Graph client: @microsoft/microsoft-graph-client with our own middleware chain. The SDK's
 * auth middleware only sends the token to https Graph hosts; ours sends it to the one Graph URL
 * it was built for, whatever its scheme, so the same client works against a real tenant and
 * against the local one on http://127.0.0.1.
 */
import { Client, type Context, GraphError, HTTPMessageHandler, type Middleware } from '@microsoft/microsoft-graph-client';
import { IdreconError } from '../errors';
import type { TokenSource } from './auth';
import { type Clock, realClock } from './clock';
import { type Limit, LimitStep } from './limits';
import { DEFAULT_RETRY, type RetryEvent, type RetryPolicy, RetryStep } from './retry';

export const GRAPH_VERSION = 'v1.0';

export interface GraphClientOptions {
  /** Origin of Graph, e.g. https://graph.microsoft.com or http://127.0.0.1:PORT. */
  graphUrl: string;
  tokens: TokenSource;
  retry?: Partial<RetryPolicy>;
  clock?: Clock;
  onRetry?: (e: RetryEvent) => void;
  /** Writes allowed per window; Graph's default (3,000 per 150 s) unless the tenant has another. */
  writeBudget?: Limit;
  jitter?: () => number;
}

class AuthStep implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly graphOrigin: string,
    private readonly tokens: TokenSource,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    // The token goes to the configured Graph origin only, never to a host a response pointed at.
    if (new URL(String(context.request)).origin === this.graphOrigin) {
      const headers = (context.options ??= {}).headers;
      const bearer = `Bearer ${await this.tokens.token()}`;
      if (headers instanceof Headers) headers.set('Authorization', bearer);
      else context.options.headers = { ...(headers as Record<string, string> | undefined), Authorization: bearer };
    }
    await this.next!.execute(context);
  }
}

export function createGraphClient(options: GraphClientOptions): Client {
  const origin = new URL(options.graphUrl).origin;
  const clock = options.clock ?? realClock;
  const retry = new RetryStep({ ...DEFAULT_RETRY, ...options.retry }, clock, options.onRetry ?? (() => undefined), options.jitter);
  return Client.initWithMiddleware({
    baseUrl: `${origin}/`,
    defaultVersion: GRAPH_VERSION,
    // Retry outermost: each attempt asks MSAL for the token again (after minutes of Retry-After the
    // first one may be near expiry) and is paced again (every attempt spends budget at Graph).
    middleware: [retry, new AuthStep(origin, options.tokens), new LimitStep(clock, options.writeBudget), new HTTPMessageHandler()],
  });
}

/**
 * An @odata.nextLink as the path the client wants: the SDK only strips https origins, and would
 * mangle an http one (the local tenant's), so the origin and version go here for both.
 */
export function relativeLink(link: string): string {
  const url = new URL(link);
  const path = url.pathname.startsWith(`/${GRAPH_VERSION}/`) ? url.pathname.slice(GRAPH_VERSION.length + 1) : url.pathname;
  return `${path}${url.search}`;
}

/** A Graph failure in an admin's words: status, Graph's code and message, and the request id to quote to Microsoft. */
export function graphFailure(err: unknown, what: string): unknown {
  if (err instanceof IdreconError) return err;
  if (err instanceof GraphError) {
    // The SDK reports a request that got no answer as status -1.
    if (err.statusCode === -1) return new IdreconError('GRAPH_ERROR', `${what} failed: ${err.message}`);
    const id = err.requestId ? ` (request-id ${err.requestId})` : '';
    return new IdreconError('GRAPH_ERROR', `${what} failed: ${err.statusCode} ${err.code}: ${err.message}${id}`);
  }
  return err;
}
