import type { RetryEvent } from '../../lib/graph/retry';
import type { LocalTenant } from '../../lib/tenant/server';
import { client, fastClock, seededUsers, serve } from './harness';

const userId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
/** The client's own write pacing would shift the tenant's window; these tests are about the tenant's. */
const UNPACED = { writeBudget: { limit: 1_000_000, windowMs: 1_000 } };

describe('throttling like Graph identity limits', () => {
  let tenant: LocalTenant;
  afterEach(() => tenant.close());

  it('answers writes over the budget with 429, a fractional Retry-After and x-ms-throttle-information', async () => {
    const clock = fastClock();
    tenant = await serve({ users: seededUsers(10), throttle: { writes: { limit: 3, windowMs: 150_000 } } }, clock);
    const graph = await client(tenant, clock, { retry: { maxRetries: 0 }, ...UNPACED });
    for (const i of [1, 2, 3]) await graph.api(`/users/${userId(i)}`).patch({ displayName: `Renamed ${i}` });
    await clock.sleep(2_872);
    let headers: Headers | undefined;
    try {
      await graph.api(`/users/${userId(4)}`).patch({ displayName: 'Renamed 4' });
    } catch (err) {
      expect(err).toMatchObject({ statusCode: 429, code: 'TooManyRequests', message: 'Too many requests.' });
      headers = (err as { headers: Headers }).headers;
    }
    expect(headers?.get('retry-after')).toBe('147.128');
    expect(headers?.get('x-ms-throttle-information')).toBe('WriteLimitExceeded');
    expect(tenant.state.find(userId(4))?.displayName).toBe('User, 4');
  });

  it('is ridden out by the client, which waits exactly the Retry-After (rounded up to the millisecond)', async () => {
    const clock = fastClock();
    tenant = await serve({ users: seededUsers(10), throttle: { writes: { limit: 3, windowMs: 150_000 } } }, clock);
    const retries: RetryEvent[] = [];
    const graph = await client(tenant, clock, { onRetry: (e) => retries.push(e), ...UNPACED });
    for (const i of [1, 2, 3]) await graph.api(`/users/${userId(i)}`).patch({ displayName: `Renamed ${i}` });
    await clock.sleep(2_872);
    await graph.api(`/users/${userId(4)}`).patch({ displayName: 'Renamed 4' });
    expect(retries.map((r) => [r.reason, r.waitMs])).toEqual([['429', 147_128]]);
    expect(tenant.state.find(userId(4))?.displayName).toBe('Renamed 4');
    expect(tenant.stats.throttled).toBe(1);
  });

  it('budgets resource units per app: reads cost 1 with $select and 2 without', async () => {
    const clock = fastClock();
    tenant = await serve({ users: seededUsers(10), throttle: { resourceUnits: { limit: 3, windowMs: 10_000 } } }, clock);
    const graph = await client(tenant, clock, { retry: { maxRetries: 0 } });
    await graph.api('/users?$select=id').get();
    await graph.api('/users').get();
    const err = await graph.api('/users?$select=id').get().catch((e: { statusCode: number; headers: Headers }) => e);
    expect(err).toMatchObject({ statusCode: 429 });
    expect((err as { headers: Headers }).headers.get('x-ms-throttle-information')).toBe('ResourceUnitLimitExceeded');
    expect((err as { headers: Headers }).headers.get('retry-after')).toBe('10');
  });
});
