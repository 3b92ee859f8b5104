/**
 * Client-side pacing under Graph's published budgets, so a long run slows down by itself instead
 * of collecting 429s. State is per limiter instance (one per client), never module-wide.
 */
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { Clock } from './clock';

export interface Limit {
  limit: number;
  windowMs: number;
}

/** Graph: 3,000 writes per 2 min 30 s per app per tenant (identity and access service limits). */
export const WRITE_LIMIT: Limit = { limit: 3_000, windowMs: 150_000 };
/** Graph: 3,500 resource units per 10 s per app in the smallest tenant class (< 50 users); larger tenants get more, so this is safe everywhere. */
export const RESOURCE_UNIT_LIMIT: Limit = { limit: 3_500, windowMs: 10_000 };

export class WindowLimiter {
  private start = -Infinity;
  private used = 0;

  constructor(
    private readonly budget: Limit,
    private readonly clock: Clock,
  ) {}

  /** Waits until `cost` fits in the current window. */
  async take(cost: number): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      if (now >= this.start + this.budget.windowMs) {
        this.start = now;
        this.used = 0;
      }
      if (this.used + cost <= this.budget.limit || this.used === 0) {
        this.used += cost;
        return;
      }
      await this.clock.sleep(this.start + this.budget.windowMs - now);
    }
  }
}

/** Graph's price list: a GET costs 2 units, 1 with $select; a write 1 unit and 1 write; a $batch the sum of its parts. */
export function priceOf(method: string, url: string, body: unknown): { units: number; writes: number } {
  if (/\/\$batch(\?|$)/.test(url) && typeof body === 'string') {
    const requests = (JSON.parse(body) as { requests?: { method: string; url: string }[] }).requests ?? [];
    return requests.reduce(
      (sum, r) => {
        const p = priceOf(r.method, r.url, undefined);
        return { units: sum.units + p.units, writes: sum.writes + p.writes };
      },
      { units: 0, writes: 0 },
    );
  }
  if (method.toUpperCase() === 'GET') return { units: /[?&]\$select=/.test(url) ? 1 : 2, writes: 0 };
  return { units: 1, writes: 1 };
}

export class LimitStep implements Middleware {
  private next: Middleware | undefined;
  private readonly units: WindowLimiter;
  private readonly writes: WindowLimiter;

  constructor(clock: Clock) {
    this.units = new WindowLimiter(RESOURCE_UNIT_LIMIT, clock);
    this.writes = new WindowLimiter(WRITE_LIMIT, clock);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const price = priceOf(context.options?.method ?? 'GET', String(context.request), context.options?.body);
    if (price.writes > 0) await this.writes.take(price.writes);
    await this.units.take(price.units);
    await this.next!.execute(context);
  }
}
