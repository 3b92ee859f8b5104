import { ResponseType } from '@microsoft/microsoft-graph-client';
import type { RetryEvent } from '../../lib/graph/retry';
import type { LocalTenant } from '../../lib/tenant/server';
import { client, fastClock, seededUsers, serve } from './harness';

const userId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
/** The client's own write pacing would shift the tenant's window; these tests are about the tenant's. */
const UNPACED = { writeBudget: { limit: 1_000_000, windowMs: 1_000 } };

/** Graph's page for all of these: https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits */
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
    // 3 per 150 s refill 0.057 in 2.872 s: the fourth write waits until one whole write fits.
    expect(headers?.get('retry-after')).toBe('47.128');
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
    expect(retries.map((r) => [r.reason, r.waitMs])).toEqual([['429', 47_128]]);
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
    expect((err as { headers: Headers }).headers.get('retry-after')).toBe('3.334');
  });

  it('counts requests sent while throttled, so retrying before Retry-After only makes the wait longer', async () => {
    const clock = fastClock();
    tenant = await serve({ users: seededUsers(10), throttle: { resourceUnits: { limit: 2, windowMs: 10_000 } } }, clock);
    const graph = await client(tenant, clock, { retry: { maxRetries: 0 } });
    const retryAfter = async () => {
      const err = await graph.api('/users?$select=id').get().then(() => undefined, (e: { headers: Headers }) => e);
      return err?.headers.get('retry-after');
    };
    expect([await retryAfter(), await retryAfter()]).toEqual([undefined, undefined]);
    expect(await retryAfter()).toBe('5');
    await clock.sleep(2_500);
    // Half the wait later the app is still throttled: this retry takes its unit too, and the wait grows.
    expect(await retryAfter()).toBe('7.5');
    await clock.sleep(7_500);
    expect(await retryAfter()).toBeUndefined();
  });

  it('charges what the cost table says, and tells the client in x-ms-resource-unit', async () => {
    tenant = await serve({ users: seededUsers(30) });
    const graph = await client(tenant, undefined, { retry: { maxRetries: 0 } });
    const unitsOf = async (path: string, method: 'get' | 'patch' = 'get') => {
      const res: Response = await (method === 'get' ? graph.api(path).responseType(ResponseType.RAW).get() : graph.api(path).responseType(ResponseType.RAW).patch({ displayName: 'X' }));
      return res.headers.get('x-ms-resource-unit');
    };
    expect(await unitsOf('/users')).toBe('2');
    expect(await unitsOf('/users?$select=id')).toBe('1');
    expect(await unitsOf('/users?$top=10')).toBe('1');
    expect(await unitsOf('/users?$top=10&$select=id')).toBe('1');
    expect(await unitsOf(`/users/${userId(1)}`)).toBe('1');
    expect(await unitsOf(`/users/${userId(1)}`, 'patch')).toBe('1');
    expect(await unitsOf('/domains')).toBe('1');
  });
});
