/**
 * Plain HTTP to Okta's management API (fetch), with what a long read-only export needs and Okta's
 * Node SDK does not do: its rate-limit headers read per bucket so requests slow down before the
 * bucket is empty, a 429 waited out until the bucket's reset, 502/503/504 and dropped connections
 * retried with a bounded, jittered back-off, a body read whole before it is trusted, and the
 * `Link: <...>; rel="next"` header followed as an opaque URL on the org's own origin only.
 */
import { IdreconError } from '../errors';
import type { Clock } from '../graph/clock';
import { defaultJitter, isNetworkError } from '../graph/retry';
import type { OktaTokens } from './auth';

export interface OktaRetryPolicy {
  maxRetries: number;
  /** First wait after a 5xx or a dropped connection; doubles each retry up to the ceiling. */
  fallbackDelayMs: number;
  maxFallbackDelayMs: number;
}

export const DEFAULT_OKTA_RETRY: OktaRetryPolicy = { maxRetries: 10, fallbackDelayMs: 1_000, maxFallbackDelayMs: 60_000 };

const TRANSIENT = [502, 503, 504];

/**
 * Requests are counted against Okta's rate-limit buckets (per endpoint, per minute), named here
 * by the kind of request; the headers of each answer say where the bucket stands.
 */
export type RequestKind = 'apps' | 'app-users' | 'app-links';

export interface OktaEvent {
  /** retry: a request failed and is sent again; pace: a request waited for the rate limit. */
  type: 'retry' | 'pace';
  kind: RequestKind;
  reason: string;
  waitMs: number;
  retry: number;
}

interface Bucket {
  limit: number;
  remaining: number;
  resetMs: number;
}

/** Below this share of a bucket, requests are spread over what is left of its minute. */
const SLOW_DOWN_BELOW = 0.5;
/** This much of a bucket is left for other apps of the org (Okta's buckets are org-wide). */
const RESERVE = 0.1;

export class OktaClient {
  requests = 0;
  private readonly buckets = new Map<RequestKind, Bucket>();
  private readonly origin: string;

  constructor(
    orgUrl: string,
    private readonly tokens: OktaTokens,
    private readonly clock: Clock,
    private readonly policy: OktaRetryPolicy = DEFAULT_OKTA_RETRY,
    private readonly onEvent: (e: OktaEvent) => void = () => undefined,
    private readonly jitter: () => number = defaultJitter,
  ) {
    this.origin = new URL(orgUrl).origin;
  }

  /** GETs a URL (absolute, on the org) and returns its JSON and the next page's URL, if any. */
  async get<T>(kind: RequestKind, url: string): Promise<{ body: T; next: string | undefined }> {
    if (new URL(url).origin !== this.origin) {
      throw new IdreconError('OKTA_ERROR', `Okta pointed to ${new URL(url).origin}, not the org ${this.origin}; the token is not sent there`);
    }
    for (let retry = 0; ; retry++) {
      await this.pace(kind);
      const outcome = await this.attempt(kind, url);
      if ('body' in outcome) return { body: outcome.body as T, next: nextLink(outcome.link) };
      const wait = this.retryWait(kind, outcome, retry);
      if (wait === undefined) throw failure(url, outcome);
      this.onEvent({ type: 'retry', kind, reason: 'status' in outcome ? String(outcome.status) : `network (${outcome.network})`, waitMs: wait, retry: retry + 1 });
      if (wait > 0) await this.clock.sleep(wait);
    }
  }

  private async attempt(kind: RequestKind, url: string): Promise<AttemptResult> {
    const authorization = await this.tokens.header();
    this.requests++;
    try {
      const res = await fetch(url, { headers: { Authorization: authorization, Accept: 'application/json' } });
      const text = await res.text();
      this.note(kind, res.headers);
      if (res.ok) return { body: parseJson(url, text), link: res.headers.get('link') };
      return { status: res.status, text, wwwAuthenticate: res.headers.get('www-authenticate') };
    } catch (err) {
      if (isNetworkError(err)) return { network: describe(err) };
      throw err;
    }
  }

  /** Milliseconds before the next attempt, or undefined when the outcome is final. */
  private retryWait(kind: RequestKind, o: Exclude<AttemptResult, { body: unknown }>, retry: number): number | undefined {
    if (retry >= this.policy.maxRetries) return undefined;
    // An access token can expire in the middle of a long export: one new token, at once.
    if ('status' in o && o.status === 401) return retry === 0 && this.tokens.expire() ? 0 : undefined;
    if ('status' in o && o.status === 429) {
      const b = this.buckets.get(kind);
      const now = this.clock.now();
      // Okta: wait until X-Rate-Limit-Reset; every request of the bucket waits with this one.
      if (b) b.remaining = 0;
      return Math.max(1_000, (b?.resetMs ?? now + 60_000) - now);
    }
    if ('status' in o && !TRANSIENT.includes(o.status)) return undefined;
    return Math.round(Math.min(this.policy.fallbackDelayMs * 2 ** retry, this.policy.maxFallbackDelayMs) * this.jitter());
  }

  /** Where the bucket stands, from X-Rate-Limit-Limit/-Remaining/-Reset (Reset: epoch seconds). */
  private note(kind: RequestKind, h: Headers): void {
    const limit = Number(h.get('x-rate-limit-limit'));
    const remaining = Number(h.get('x-rate-limit-remaining'));
    const reset = Number(h.get('x-rate-limit-reset'));
    if (!(limit > 0) || !Number.isFinite(remaining) || !(reset > 0) || h.get('x-rate-limit-remaining') === null) return;
    const b = this.buckets.get(kind);
    const resetMs = reset * 1000;
    // Answers to concurrent requests arrive out of order: within one window the lowest count wins.
    if (b && b.resetMs === resetMs) b.remaining = Math.min(b.remaining, remaining);
    else this.buckets.set(kind, { limit, remaining, resetMs });
  }

  /** Waits as the bucket requires: nothing while it is full, evenly spread once it is half spent, until its reset at the reserve. */
  private async pace(kind: RequestKind): Promise<void> {
    for (;;) {
      const b = this.buckets.get(kind);
      const now = this.clock.now();
      if (!b || now >= b.resetMs) return;
      const reserve = Math.max(1, Math.floor(b.limit * RESERVE));
      if (b.remaining > reserve) {
        b.remaining--;
        if (b.remaining + 1 < b.limit * SLOW_DOWN_BELOW) {
          const gap = Math.ceil((b.resetMs - now) / (b.remaining + 1 - reserve));
          this.onEvent({ type: 'pace', kind, reason: `${b.remaining + 1} of ${b.limit} left`, waitMs: gap, retry: 0 });
          await this.clock.sleep(gap);
        }
        return;
      }
      const wait = b.resetMs - now + 1_000;
      this.onEvent({ type: 'pace', kind, reason: `${b.remaining} of ${b.limit} left until the reset`, waitMs: wait, retry: 0 });
      await this.clock.sleep(wait);
    }
  }
}

type AttemptResult = { body: unknown; link: string | null } | { status: number; text: string; wwwAuthenticate: string | null } | { network: string };

/** The URL of rel="next" in a Link header, used as it is. */
export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (m && /;\s*rel="?next"?/.test(m[2])) return m[1];
  }
  return undefined;
}

/** A proxy's sign-in page or a captive portal answers 200 too: say so rather than fail on JSON.parse. */
function parseJson(url: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new IdreconError('OKTA_ERROR', `GET ${new URL(url).pathname} answered 200 with a body that is not JSON (${JSON.stringify(text.slice(0, 60))}); check --org-url and any proxy between here and Okta`);
  }
}

function describe(err: Error): string {
  const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? err.message;
}

/** Okta's answer in an admin's words: status, Okta's errorCode and summary, the errorId to quote, and what to change. */
function failure(url: string, o: Exclude<AttemptResult, { body: unknown }>): IdreconError {
  const what = `GET ${new URL(url).pathname}`;
  if ('network' in o) return new IdreconError('OKTA_ERROR', `${what} failed: the connection failed (${o.network}) and kept failing after every retry`);
  const scope = /error="insufficient_scope"/.test(o.wwwAuthenticate ?? '') ? /scope="([^"]*)"/.exec(o.wwwAuthenticate ?? '')?.[1] : undefined;
  if (scope !== undefined) {
    return new IdreconError('OKTA_ERROR', `${what} failed: 403 insufficient_scope: the access token lacks the scope ${scope}; grant it to the app (Okta API Scopes tab) and run again`);
  }
  let said = '';
  try {
    const e = JSON.parse(o.text) as { errorCode?: string; errorSummary?: string; errorId?: string };
    said = `${e.errorCode ? `${e.errorCode}: ` : ''}${e.errorSummary ?? ''}${e.errorId ? ` (errorId ${e.errorId})` : ''}`;
  } catch {
    said = o.text.split(/\r?\n/)[0].slice(0, 200);
  }
  const fix: Record<number, string> = {
    401: '; the token was refused: check the credentials',
    403: '; the app needs the Read-only Administrator role (Admin roles tab of the app)',
    404: '; check the app id (--app-id, --ad-app-id)',
    429: '; the rate limit was still exceeded after every retry: run again later, or raise --max-retries',
  };
  return new IdreconError('OKTA_ERROR', `${what} failed: ${o.status} ${said}${fix[o.status] ?? ''}`);
}
