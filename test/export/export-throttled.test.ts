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
    expect(result).toMatchObject({ users: 1_000, pages: 10 });
    expect(result.retries.map((r) => [r.reason, r.waitMs])).toEqual(Array.from({ length: 6 }, () => ['429', 2_500]));
    // The refused page is asked for again by the same link; the pages before it are not.
    const refused = result.retries.map((r) => new URL(r.url).searchParams.get('$skiptoken'));
    expect(refused.map((t) => Buffer.from(t!, 'base64url').toString())).toEqual([400, 500, 600, 700, 800, 900].map((n) => `idrecon-offset:${n}`));
    expect(tenant.stats.requests).toBe(16);
    expect(readText(join(dir, 'cloud.csv')).split('\r\n')).toHaveLength(1_002);
  });
});
