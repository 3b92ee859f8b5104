/**
 * Graph's identity throttling, per client (the app id in the token): fixed windows of a budget.
 * A request over budget gets 429 with the seconds until the window ends, fractional as Graph
 * sends them (Retry-After: 2.128), and x-ms-throttle-information naming the limit.
 */
import { type GraphFault, fault } from './graph-error';

export interface Budget {
  limit: number;
  windowMs: number;
}

export interface ThrottleOptions {
  /** Graph: 3,000 writes per 2 min 30 s per app per tenant. */
  writes: Budget;
  /** Graph: 3,500 / 5,000 / 8,000 resource units per 10 s per app, by tenant size. */
  resourceUnits: Budget;
}

/** Graph's per-app resource unit budget for a tenant of this many users. */
export function resourceUnitsFor(userCount: number): Budget {
  const limit = userCount < 50 ? 3_500 : userCount <= 500 ? 5_000 : 8_000;
  return { limit, windowMs: 10_000 };
}

export const WRITE_BUDGET: Budget = { limit: 3_000, windowMs: 150_000 };

class WindowCounter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(private readonly budget: Budget) {}

  /** undefined when the cost fits, else the milliseconds until the client's window ends. */
  take(client: string, cost: number, now: number): number | undefined {
    let w = this.windows.get(client);
    if (!w || now >= w.start + this.budget.windowMs) {
      w = { start: now, used: 0 };
      this.windows.set(client, w);
    }
    if (w.used + cost > this.budget.limit) return w.start + this.budget.windowMs - now;
    w.used += cost;
    return undefined;
  }
}

export interface Cost {
  units: number;
  writes: number;
}

export class Throttle {
  private readonly units: WindowCounter;
  private readonly writes: WindowCounter;

  constructor(options: ThrottleOptions) {
    this.units = new WindowCounter(options.resourceUnits);
    this.writes = new WindowCounter(options.writes);
  }

  charge(client: string, cost: Cost, now: number): GraphFault | undefined {
    const writeWait = cost.writes > 0 ? this.writes.take(client, cost.writes, now) : undefined;
    if (writeWait !== undefined) return tooMany(writeWait, 'WriteLimitExceeded');
    const unitWait = this.units.take(client, cost.units, now);
    if (unitWait !== undefined) return tooMany(unitWait, 'ResourceUnitLimitExceeded');
    return undefined;
  }
}

function tooMany(waitMs: number, reason: string): GraphFault {
  return {
    ...fault(429, 'TooManyRequests', 'Too many requests.'),
    headers: { 'Retry-After': (Math.max(waitMs, 1) / 1000).toFixed(3).replace(/\.?0+$/, ''), 'x-ms-throttle-information': reason },
  };
}

/** What Graph charges: GET users 2 units (1 with $select), a write 1 unit plus 1 write. */
export function costOf(method: string, hasSelect: boolean): Cost {
  if (method === 'GET') return { units: hasSelect ? 1 : 2, writes: 0 };
  return { units: 1, writes: 1 };
}
