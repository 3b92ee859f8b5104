import { join } from 'node:path';
import { exportOkta } from '../../lib/okta/export';
import type { LocalOrg } from './org';
import { fastClock, readText, tempDir } from '../tenant/harness';
import { CLIENT_ID, O365_APP, seededUsers, serveOrg, writeKey } from './harness';
import { expectedOktaCsv } from './expected';

const USERS = seededUsers(20_000);
const FAULTS = { rate503: 0.1, rate504: 0.05, rateDrop: 0.1, latencyMs: 0, seed: 16 };

describe('exporting a 20,000-user Okta org that keeps failing', () => {
  let org: LocalOrg | undefined;
  afterEach(async () => {
    await org?.close();
    org = undefined;
  });

  it('gets exactly the seeded app users back, retrying 503s, 504s and dropped connections', async () => {
    const clock = fastClock();
    const local = (org = await serveOrg(USERS, clock, { faults: FAULTS }));
    const dir = tempDir();
    const out = join(dir, 'okta.csv');
    const result = await exportOkta(
      { orgUrl: local.url, credentials: { kind: 'private-key', clientId: CLIENT_ID, keyFile: writeKey(dir) }, appIds: [O365_APP], adAppIds: undefined, appLinks: false, out, concurrency: 8, jitter: () => 1 },
      clock,
    );

    expect(readText(out)).toBe(expectedOktaCsv(USERS, false));
    expect(result.rows).toBe(20_000);
    expect(result.severalAd).toBe(20);
    expect(result.adAppIds).toEqual(['0oaadcontoso0000001', '0oaadfabrikam000001']);
    const reasons = new Set(result.retries.map((r) => r.reason.replace(/ \(.*/, '')));
    expect([...reasons].sort()).toEqual(['503', '504', 'network']);
    // Every request the org saw is one the exporter counted; every fault cost exactly one retry.
    const faults = Object.values(local.stats.faults).reduce((a, b) => a + b, 0);
    expect(result.retries.filter((r) => r.reason !== '429')).toHaveLength(faults);
    expect(local.stats.requests).toBe(result.requests);
    // 1 token, 1 list of AD apps, 36 + 1 pages of AD users (18,000 and 20), 40 pages of Office 365 users, and the retries.
    expect(result.requests).toBe(1 + 1 + 36 + 1 + 40 + result.retries.length);
  });
});
