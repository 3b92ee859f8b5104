/** apply says each retry on stderr, as export does, so a throttled run does not look like a hang. */
import { join } from 'node:path';
import { cli, tempDir } from '../helpers';
import { SECRET } from '../tenant/harness';
import { approve, cliSignIn, fixturePlan, fixtureTenant, writeRows } from './harness';

// The throttled writes wait out real Retry-After seconds: more than jest's 5 s on a busy machine.
jest.setTimeout(30_000);

test('a throttled apply names the request, the answer and the wait on stderr', async () => {
  process.env.IDRECON_TEST_SECRET = SECRET;
  // Four writes per second: the ten writes of five of the fixture plan's fixes meet 429s with Retry-After.
  const tenant = await fixtureTenant(undefined, { throttle: { writes: { limit: 4, windowMs: 1_000 } } });
  try {
    const dir = tempDir();
    const planFile = approve(await fixturePlan(dir), (row) => writeRows(row) && row.upn !== 'yara.young@contoso.com');
    const signIn = cliSignIn(tenant);
    // A write budget above the tenant's, so that idrecon's own pacing does not avoid the 429s.
    const r = await cli(['apply', '--plan', planFile, '--results', join(dir, 'results.csv'), '--execute', '--write-budget', '100/1', ...signIn]);
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^idrecon: \/v1\.0\/users\/[\w-]+ answered 429 \(throttled\); retry \d+ of 10 in \d+\.\d s$/);
  } finally {
    await tenant.close();
  }
});
