/**
 * When to send a Graph request again, and the middleware that does it. Retried: 429 (honouring
 * Retry-After, fractional seconds included), 503, 504 and dropped connections, the failures
 * Graph documents as transient. Everything else is an answer. Unlike the SDK's RetryHandler this
 * also retries network errors, and reads the whole body before deciding, so a connection cut in
 * the middle of a page is retried here rather than failing later as unparsable JSON.
 */
import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import type { Clock } from './clock';

export interface RetryPolicy {
  /** Retries after the first attempt; then the last failure is reported. */
  maxRetries: number;
  /** First wait when the service gives no Retry-After; doubles each retry. */
  fallbackDelayMs: number;
  /** Ceiling of the doubling fallback (a Retry-After from Graph is obeyed even when longer). */
  maxFallbackDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 10, fallbackDelayMs: 1_000, maxFallbackDelayMs: 60_000 };

export const RETRYABLE_STATUSES: readonly number[] = [429, 503, 504];

export type AttemptResult = { status: number; retryAfter: string | null } | { networkError: Error };

/** Retry-After in milliseconds: seconds (possibly fractional, "2.128") or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Milliseconds to wait before attempt `retry + 1`, or undefined when the outcome is final. */
export function retryDelay(outcome: AttemptResult, retry: number, policy: RetryPolicy, now: number): number | undefined {
  if ('status' in outcome && !RETRYABLE_STATUSES.includes(outcome.status)) return undefined;
  if (retry >= policy.maxRetries) return undefined;
  const told = 'status' in outcome ? parseRetryAfter(outcome.retryAfter, now) : undefined;
  return told ?? Math.min(policy.fallbackDelayMs * 2 ** retry, policy.maxFallbackDelayMs);
}

/**
 * fetch's own words for a connection that failed or was cut (undici: 'fetch failed', 'terminated').
 * By name, not instanceof: fetch's TypeError may come from another realm (jest's sandbox, for one).
 */
export function isNetworkError(err: unknown): err is Error {
  return typeof err === 'object' && err !== null && (err as Error).name === 'TypeError' && ['fetch failed', 'terminated'].includes((err as Error).message);
}

export interface RetryEvent {
  retry: number;
  reason: string;
  waitMs: number;
  url: string;
  /** How much this retry lengthened the client's shared pause (429s only): throttled wall time. */
  pauseAddedMs: number;
}

/** Spreads fallback waits over 50-100% of their length, so parallel requests do not retry in step. */
export const defaultJitter = (): number => 0.5 + Math.random() / 2;

/**
 * Given with one request (`.middlewareOptions([tries])`, the SDK's per-request options), counts
 * how often RetryStep sent it: the attempts a results row records, whatever else is in flight.
 */
export class Tries implements MiddlewareOptions {
  count = 0;
}

export class RetryStep implements Middleware {
  private next: Middleware | undefined;
  /**
   * One back-off for every request of this client: a 429 means the app's budget is spent, so the
   * other requests in flight wait out the same Retry-After instead of each earning their own 429.
   */
  private pausedUntil = 0;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly clock: Clock,
    private readonly onRetry: (e: RetryEvent) => void,
    private readonly jitter: () => number = defaultJitter,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const tries = context.middlewareControl?.getMiddlewareOptions(Tries) as Tries | undefined;
    for (let retry = 0; ; retry++) {
      // Until the pause is over, however often another request's 429 lengthened it meanwhile: Graph
      // counts requests sent while throttled, so waking at the first deadline would only earn more.
      for (let until = 0; this.pausedUntil > until; ) {
        until = this.pausedUntil;
        const paused = until - this.clock.now();
        if (paused > 0) await this.clock.sleep(paused);
      }
      if (tries) tries.count++;
      const outcome = await this.attempt(context);
      const told = 'status' in outcome && parseRetryAfter(outcome.retryAfter, this.clock.now()) !== undefined;
      const delay = retryDelay(outcome, retry, this.policy, this.clock.now());
      const wait = delay === undefined || told ? delay : Math.round(delay * this.jitter());
      if (wait === undefined) {
        // The SDK keeps only the message of what a middleware throws, so the cause goes into it.
        if ('networkError' in outcome) {
          const tries = `${retry} ${retry === 1 ? 'retry' : 'retries'}`;
          throw new Error(`the connection failed (${describe(outcome.networkError)}) and kept failing after ${tries}`);
        }
        return;
      }
      const reason = 'status' in outcome ? String(outcome.status) : `network (${describe(outcome.networkError)})`;
      // A 429's wait becomes the shared pause, served at the top of the loop by this request and the others alike.
      const throttled = 'status' in outcome && outcome.status === 429;
      const now = this.clock.now();
      const pauseAddedMs = throttled ? Math.max(0, now + wait - Math.max(this.pausedUntil, now)) : 0;
      if (throttled) this.pausedUntil = Math.max(this.pausedUntil, now + wait);
      this.onRetry({ retry: retry + 1, reason, waitMs: wait, url: String(context.request), pauseAddedMs });
      if (!throttled) await this.clock.sleep(wait);
    }
  }

  private async attempt(context: Context): Promise<AttemptResult> {
    try {
      context.response = undefined;
      await this.next!.execute(context);
      const res = context.response!;
      const body = await res.arrayBuffer();
      context.response = new Response(body.byteLength === 0 ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
      return { status: res.status, retryAfter: res.headers.get('retry-after') };
    } catch (err) {
      if (isNetworkError(err)) return { networkError: err };
      throw err;
    }
  }
}

function describe(err: Error): string {
  const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? err.message;
}
