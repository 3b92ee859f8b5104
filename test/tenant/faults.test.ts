import { FaultPlan } from '../../lib/tenant/faults';
import type { RetryEvent } from '../../lib/graph/retry';
import type { LocalTenant } from '../../lib/tenant/server';
import { client, fastClock, seededUsers, serve } from './harness';

const FAULTS = { rate503: 0.2, rate504: 0.1, rateDrop: 0.2, latencyMs: 3, seed: 42 };

describe('injected faults', () => {
  it('come in the same sequence for the same seed, and another for another seed', () => {
    const kinds = (seed: number) => {
      const plan = new FaultPlan({ ...FAULTS, seed });
      return Array.from({ length: 50 }, () => plan.next().kind).join(' ');
    };
    expect(kinds(42)).toBe(kinds(42));
    expect(kinds(43)).not.toBe(kinds(42));
    expect(kinds(42)).toMatch(/503/);
    expect(kinds(42)).toMatch(/504/);
    expect(kinds(42)).toMatch(/drop-before/);
    expect(kinds(42)).toMatch(/drop-during/);
  });

  it('add a latency between 0 and the limit, and none when the limit is 0', () => {
    const slow = new FaultPlan({ ...FAULTS, latencyMs: 40 });
    const delays = Array.from({ length: 200 }, () => slow.next().delayMs);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(40);
    expect(new Set(delays).size).toBeGreaterThan(10);
    const fast = new FaultPlan({ ...FAULTS, latencyMs: 0 });
    expect(Array.from({ length: 20 }, () => fast.next().delayMs)).toEqual(Array(20).fill(0));
  });

  describe('over HTTP', () => {
    let tenant: LocalTenant;
    afterEach(() => tenant.close());

    it('are 503s, 504s and cut connections that the client retries until it gets every answer', async () => {
      const clock = fastClock();
      tenant = await serve({ users: seededUsers(40), faults: FAULTS }, clock);
      const retries: RetryEvent[] = [];
      const graph = await client(tenant, clock, { onRetry: (e) => retries.push(e) });
      for (let i = 0; i < 40; i++) {
        const user = await graph.api(`/users/user${i}@contoso.com`).select(['id', 'userPrincipalName']).get();
        expect(user.userPrincipalName).toBe(`user${i}@contoso.com`);
      }
      const reasons = new Set(retries.map((r) => r.reason.replace(/ \(.*/, '')));
      expect([...reasons].sort()).toEqual(['503', '504', 'network']);
      expect(tenant.stats.faults['drop-before']).toBeGreaterThan(0);
      expect(tenant.stats.faults['drop-during']).toBeGreaterThan(0);
      expect(retries).toHaveLength(Object.values(tenant.stats.faults).reduce((a, b) => a + b, 0));
    });
  });
});
