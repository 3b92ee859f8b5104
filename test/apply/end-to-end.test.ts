/**
 * The whole pipeline against a tenant on a bad day: reconcile, plan, approve, apply with faults
 * and throttling on, export again, reconcile again: every applied row is a match.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportCloud } from '../../lib/graph/export';
import { cli, project, tempDir } from '../helpers';
import { credentials, fastClock } from '../tenant/harness';
import { FIXTURES, applyTo, approve, fixturePlan, fixtureTenant, outcomes, writeRows } from './harness';

test('applied rows reconcile as matches, through 503s, 504s, dropped connections and 429s', async () => {
  const clock = fastClock();
  const tenant = await fixtureTenant(clock, {
    faults: { rate503: 0.15, rate504: 0.1, rateDrop: 0.15, seed: 7 },
    // Four writes per 10 s: the federated users' three PATCHes each are throttled on the way.
    throttle: { writes: { limit: 4, windowMs: 10_000 } },
  });
  try {
    const dir = tempDir();
    const planFile = approve(await fixturePlan(dir), writeRows);
    const resultsFile = join(dir, 'results.csv');
    const summary = await applyTo(tenant, clock, { planFile, resultsFile });
    expect(summary.counts).toMatchObject({ applied: 6, failed: 0, 'rolled-back': 0, 'skipped-drift': 0, 'skipped-unapproved': 23, 'skipped-review': 0 });
    expect(tenant.stats.throttled).toBeGreaterThan(0);
    expect(Object.values(tenant.stats.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect((await outcomes(resultsFile)).filter((l) => l.endsWith('applied'))).toEqual(['1 applied', '2 applied', '6 applied', '8 applied', '9 applied', '21 applied']);
    expect(tenant.state.users.filter((u) => u.userPrincipalName.endsWith('@contoso.onmicrosoft.com')).map((u) => u.userPrincipalName)).toEqual([
      'tom.turner+4821@contoso.onmicrosoft.com',
      'admin@contoso.onmicrosoft.com',
      'bea.bell4821@contoso.onmicrosoft.com',
      'cy.cole@contoso.onmicrosoft.com',
    ]);

    const after = join(dir, 'after.csv');
    await exportCloud({ credentials: credentials(tenant), graphUrl: tenant.url, out: after, pageSize: 999, maxRetries: 10 }, clock);
    const again = await cli(['reconcile', '--onprem', FIXTURES.onprem, '--cloud', after, '--out', join(dir, 'again')]);
    expect(again.code).toBe(0);
    const rows = project(readFileSync(join(dir, 'again', 'reconciliation.csv'), 'utf8'), ['upn', 'status']);
    for (const upn of ['carol.clark', 'dan.davis', 'heidi.hill', 'judy.jones', 'ken.king', 'yara.young']) expect(rows).toContain(`\n${upn}@contoso.com,match\n`);
    expect(rows.match(/,match\n/g)).toHaveLength(11);
  } finally {
    await tenant.close();
  }
});
