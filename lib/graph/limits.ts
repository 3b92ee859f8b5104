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

/**
 * Writes spaced evenly at the budget's rate rather than spent in a burst at the start of each
 * window: Graph counts in its own windows, which need not line up with ours, and an even pace
 * never puts more than the budget into any window of Graph's. `share` keeps a margin below it.
 */
export class PacedLimiter {
  private nextSlot = -Infinity;

  constructor(
    private readonly budget: Limit,
    private readonly clock: Clock,
    private readonly share = 0.99,
  ) {}

  async take(cost: number): Promise<void> {
    const interval = (this.budget.windowMs / this.budget.limit / this.share) * cost;
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + interval;
    if (slot > now) await this.clock.sleep(slot - now);
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
  private readonly writes: PacedLimiter;

  constructor(clock: Clock, writeBudget: Limit = WRITE_LIMIT) {
    this.units = new WindowLimiter(RESOURCE_UNIT_LIMIT, clock);
    this.writes = new PacedLimiter(writeBudget, clock);
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
