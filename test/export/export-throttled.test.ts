import { join } from 'node:path';
import { exportCloud } from '../../lib/graph/export';
import type { LocalTenant } from '../../lib/tenant/server';
import { credentials, fastClock, readText, seededUsers, serve, tempDir } from '../tenant/harness';

describe('exporting from a tenant that throttles reads', () => {
  let tenant: LocalTenant;
  afterEach(() => tenant.close());

  it("waits each 429's Retry-After and goes on from the page that was refused", async () => {
    const clock = fastClock();
    // 4 resource units per 10 s, refilled continuously (Graph's token bucket): a $select page costs
    // 1, so after four pages each page waits for its unit, 2.5 s.
    tenant = await serve({ users: seededUsers(1_000), throttle: { resourceUnits: { limit: 4, windowMs: 10_000 } } }, clock);
    const dir = tempDir();
    const result = await exportCloud({ credentials: credentials(tenant), graphUrl: tenant.url, out: join(dir, 'cloud.csv'), pageSize: 100, maxRetries: 3 }, clock);
    // 3 role lists, 10 pages of beta users (onPremisesObjectIdentifier), 10 pages of users.
    expect(result).toMatchObject({ users: 1_000, pages: 10, reads: 23 });
    // 23 reads at one unit each, four free: every read after the fourth waits once, 2.5 s.
    expect(result.retries.map((r) => [r.reason, r.waitMs])).toEqual(Array.from({ length: 19 }, () => ['429', 2_500]));
    // A refused page is asked for again by the same link, and nothing read before it is read again.
    const refused = result.retries.map((r) => new URL(r.url).searchParams.get('$skiptoken')).filter((t) => t !== null);
    // Pages 2-10 of beta users, then of users (the role lists have no skip token).
    const offsets = [100, 200, 300, 400, 500, 600, 700, 800, 900].map((n) => `idrecon-offset:${n}`);
    expect(refused.map((t) => Buffer.from(t!, 'base64url').toString())).toEqual([...offsets, ...offsets]);
    expect(tenant.stats.requests).toBe(result.reads + result.retries.length);
    expect(readText(join(dir, 'cloud.csv')).split('\r\n')).toHaveLength(1_002);
  });
});
