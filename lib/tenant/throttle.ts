/**
 * Graph's identity and access throttling, per app and tenant, as its service limits page
 * describes it (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits):
 * token buckets of resource units and of writes that refill continuously, request costs from the
 * page's table, and every request counted, including those sent while throttled. A 429 carries
 * the seconds until the request would fit, fractional as Graph sends them (Retry-After: 2.128),
 * x-ms-throttle-scope and x-ms-throttle-information; every answer carries x-ms-resource-unit.
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

/** Graph's per-app resource unit budget for a tenant of this many users (S < 50, M 50-500, L > 500). */
export function resourceUnitsFor(userCount: number): Budget {
  const limit = userCount < 50 ? 3_500 : userCount <= 500 ? 5_000 : 8_000;
  return { limit, windowMs: 10_000 };
}

export const WRITE_BUDGET: Budget = { limit: 3_000, windowMs: 150_000 };

/**
 * A bucket of `limit` that refills at limit per window. Requests sent while the app is throttled
 * (before the Retry-After it was last given has passed) count: they take their cost even though
 * they are refused, so a retry loop that ignores Retry-After stays throttled and lengthens its
 * own wait (the bucket can go one budget into debt). A refused request sent after its wait is
 * over costs nothing, so clients that honour Retry-After are not starved by each other.
 */
class Bucket {
  private readonly state = new Map<string, { level: number; at: number; throttledUntil: number }>();

  constructor(private readonly budget: Budget) {}

  private rate(): number {
    return this.budget.limit / this.budget.windowMs;
  }

  /** Takes `cost`; undefined when it fitted, else the milliseconds until a request of this cost would. */
  take(client: string, cost: number, now: number): number | undefined {
    const b = this.state.get(client) ?? { level: this.budget.limit, at: now, throttledUntil: -Infinity };
    b.level = Math.min(this.budget.limit, b.level + Math.max(0, now - b.at) * this.rate());
    b.at = now;
    this.state.set(client, b);
    // A millisecond's refill of slack: Retry-After is whole milliseconds and timers fire to the millisecond.
    if (b.level + this.rate() >= cost) {
      b.level -= cost;
      return undefined;
    }
    if (now < b.throttledUntil) b.level = Math.max(-this.budget.limit, b.level - cost);
    const wait = (cost - b.level) / this.rate();
    b.throttledUntil = Math.max(b.throttledUntil, now + wait);
    return wait;
  }

  /** The share of the budget in use, 0..2. */
  used(client: string): number {
    const b = this.state.get(client);
    return b ? (this.budget.limit - b.level) / this.budget.limit : 0;
  }
}

export interface Cost {
  units: number;
  writes: number;
}

export interface Charge {
  fault?: GraphFault;
  /** x-ms-resource-unit, and x-ms-throttle-limit-percentage above 0.8 of the budget. */
  headers: Record<string, string>;
}

export class Throttle {
  private readonly units: Bucket;
  private readonly writes: Bucket;

  constructor(
    options: ThrottleOptions,
    private readonly tenantId: string,
  ) {
    this.units = new Bucket(options.resourceUnits);
    this.writes = new Bucket(options.writes);
  }

  charge(client: string, cost: Cost, now: number): Charge {
    const headers: Record<string, string> = { 'x-ms-resource-unit': String(cost.units) };
    const writeWait = cost.writes > 0 ? this.writes.take(client, cost.writes, now) : undefined;
    const unitWait = this.units.take(client, cost.units, now);
    const used = Math.max(this.units.used(client), cost.writes > 0 ? this.writes.used(client) : 0);
    if (used > 0.8) headers['x-ms-throttle-limit-percentage'] = Math.min(used, 1.8).toFixed(1);
    if (writeWait !== undefined) return { headers, fault: this.tooMany(writeWait, 'Write', 'WriteLimitExceeded', client, headers) };
    if (unitWait !== undefined) return { headers, fault: this.tooMany(unitWait, 'ReadWrite', 'ResourceUnitLimitExceeded', client, headers) };
    return { headers };
  }

  private tooMany(waitMs: number, limit: string, reason: string, client: string, headers: Record<string, string>): GraphFault {
    return {
      ...fault(429, 'TooManyRequests', 'Too many requests.'),
      headers: {
        ...headers,
        'Retry-After': (Math.max(Math.ceil(waitMs), 1) / 1000).toFixed(3).replace(/\.?0+$/, ''),
        'x-ms-throttle-scope': `Tenant_Application/${limit}/${client}/${this.tenantId}`,
        'x-ms-throttle-information': reason,
      },
    };
  }
}

export interface CostQuery {
  select: boolean;
  expand: boolean;
  top: number | undefined;
}

/**
 * The table's price of a request: GET users costs 2 and any other identity path 1; a write costs
 * 1 unit and 1 write; $select takes 1 off, $expand adds 1, $top under 20 takes 1 off; never below 1.
 */
export function costOf(method: string, base: number, q: CostQuery): Cost {
  const units = Math.max(1, base - (q.select ? 1 : 0) + (q.expand ? 1 : 0) - (q.top !== undefined && q.top < 20 ? 1 : 0));
  return { units, writes: method === 'GET' ? 0 : 1 };
}
