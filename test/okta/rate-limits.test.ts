/** Okta's rate limits: read from every answer, kept to before the bucket is empty, and a 429 waited out until its reset. */
import { join } from 'node:path';
import { exportOkta } from '../../lib/okta/export';
import type { LocalOrg } from './org';
import { type FastClock, fastClock, readText, tempDir } from '../tenant/harness';
import { CLIENT_ID, O365_APP, seededUsers, serveOrg, writeKey } from './harness';
import { expectedOktaCsv } from './expected';
import { DEFAULT_LIMITS } from './org';

let org: LocalOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

const run = (local: LocalOrg, clock: FastClock, concurrency: number) => {
  const dir = tempDir();
  const out = join(dir, 'okta.csv');
  const credentials = { kind: 'private-key' as const, clientId: CLIENT_ID, keyFile: writeKey(dir) };
  return exportOkta({ orgUrl: local.url, credentials, appIds: [O365_APP], adAppIds: undefined, appLinks: true, out, concurrency }, clock).then((result) => ({ result, text: readText(out) }));
};

it('slows down before the appLinks bucket is empty, so Okta never answers 429, and renews its token on the way', async () => {
  const users = seededUsers(600);
  const clock = fastClock();
  const start = clock.now();
  const local = (org = await serveOrg(users, clock, { limits: { ...DEFAULT_LIMITS, 'app-links': 50 }, tokenLifetimeS: 300 }));
  const { result, text } = await run(local, clock, 4);

  expect(text).toBe(expectedOktaCsv(users, true));
  expect(local.stats.throttled).toBe(0);
  expect(result.retries).toEqual([]);
  // 600 requests at most 45 a minute (10% of the bucket is left to the org's other clients): 13 windows at least.
  expect(clock.now() - start).toBeGreaterThanOrEqual(12 * 60_000);
  // A five-minute token, renewed before it runs out: no request was refused for it.
  expect(local.stats.byBucket.token).toBeGreaterThanOrEqual(3);
  expect(result.requests).toBe(local.stats.requests);
}, 30_000);

it('waits out a 429 until the bucket resets when other clients of the org have spent it', async () => {
  const users = seededUsers(60);
  const clock = fastClock();
  const local = (org = await serveOrg(users, clock, { limits: { ...DEFAULT_LIMITS, 'app-links': 100 }, spentElsewhere: { 'app-links': 96 } }));
  const { result, text } = await run(local, clock, 8);

  expect(text).toBe(expectedOktaCsv(users, true));
  const throttled = result.retries.filter((r) => r.reason === '429');
  expect(throttled.length).toBe(local.stats.throttled);
  expect(throttled.length).toBeGreaterThan(0);
  // Each wait runs to the reset Okta announced (the next full minute), never a guess.
  for (const r of throttled) expect(r.waitMs).toBeLessThanOrEqual(60_000);
  expect(clock.slept.some((ms) => ms >= 1_000)).toBe(true);
});
