import { join } from 'node:path';
import { exportCloud } from '../../lib/graph/export';
import type { LocalTenant } from '../../lib/tenant/server';
import { CLOUD_CSV_COLUMNS, cloudUserFields } from '../../lib/formats/cloud-users';
import { credentials, fastClock, readText, seededUsers, serve, tempDir } from '../tenant/harness';

const USERS = seededUsers(20_000);
const FAULTS = { rate503: 0.15, rate504: 0.1, rateDrop: 0.15, latencyMs: 2, seed: 20_000 };

/** The expected file, built independently of the writer: BOM, CRLF, quotes only where CSV needs them. */
function expectedCsv(): string {
  const quote = (f: string) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
  return `\uFEFF${[CLOUD_CSV_COLUMNS.join(','), ...USERS.map((u) => cloudUserFields(u).map(quote).join(','))].join('\r\n')}\r\n`;
}

describe('exporting a 20,000-user tenant that keeps failing', () => {
  let tenant: LocalTenant | undefined;
  afterEach(async () => {
    await tenant?.close();
    tenant = undefined;
  });

  it('gets exactly the seeded users back, retrying 503s, 504s and dropped connections', async () => {
    const clock = fastClock();
    const local = (tenant = await serve({ users: USERS, faults: FAULTS }, clock));
    const out = join(tempDir(), 'cloud.csv');
    const result = await exportCloud({ credentials: credentials(local), graphUrl: local.url, out, pageSize: 999, maxRetries: 10 }, clock);

    expect(readText(out)).toBe(expectedCsv());
    expect(result.users).toBe(20_000);
    expect(result.pages).toBe(21);
    const reasons = new Set(result.retries.map((r) => r.reason.replace(/ \(.*/, '')));
    expect([...reasons].sort()).toEqual(['503', '504', 'network']);
    // Every injected fault cost one retry of the same page and nothing else: no page was fetched twice after success.
    expect(result.retries).toHaveLength(Object.values(local.stats.faults).reduce((a, b) => a + b, 0));
    // 21 pages of users, 21 of beta users (onPremisesObjectIdentifier), 3 role lists.
    expect(result.reads).toBe(45);
    expect(local.stats.requests).toBe(result.reads + result.retries.length);
  });

  it('is repeatable: the same seed fails the same requests', async () => {
    const runs: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const clock = fastClock();
      const local = (tenant = await serve({ users: USERS.slice(0, 3_000), faults: FAULTS }, clock));
      const out = join(tempDir(), 'cloud.csv');
      const result = await exportCloud({ credentials: credentials(local), graphUrl: local.url, out, pageSize: 500, maxRetries: 10 }, clock);
      runs.push(result.retries.map((r) => `${r.retry}:${r.reason.replace(/ \(.*/, '')}:${new URL(r.url).searchParams.get('$skiptoken') ?? 'first'}`));
      await local.close();
      tenant = undefined;
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0].length).toBeGreaterThan(0);
  });
});
