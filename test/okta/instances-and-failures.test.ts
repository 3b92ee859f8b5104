/** Several Office 365 instances, one row per user and instance; a run that fails leaves no file. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../export/run-cli';
import { fastClock, tempDir } from '../tenant/harness';
import { csv } from '../helpers';
import type { LocalOrg } from './org';
import { AD_APP, CLIENT_ID, O365_APP, appsFor, keyPair, seededUsers, writeKey } from './harness';
import { startOrg } from './org';

let org: LocalOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

const SECOND = '0oaoffice3650000002';

test('a user in two Office 365 instances has a row for each, with the assignment id of each', async () => {
  const users = seededUsers(2);
  const apps = appsFor(users);
  apps.push({ ...apps[0], id: SECOND, label: 'Office 365 (fabrikam)', users: [{ ...apps[0].users[1], assignmentId: '0uasecond0000000001', immutableId: 'other-value' }] });
  org = await startOrg({ apps, service: { clientId: CLIENT_ID, publicKey: keyPair().publicKey, scopes: ['okta.apps.read', 'okta.users.read'], adminRole: true }, now: fastClock().now });
  const dir = tempDir();
  const out = join(dir, 'okta.csv');
  const key = writeKey(dir);
  const r = await runCli(['export', 'okta', '--org-url', org.url, '--app-id', O365_APP, '--app-id', SECOND, '--ad-app-id', AD_APP, '--app-links', '--out', out, '--client-id', CLIENT_ID, '--private-key', key]);
  expect(r).toEqual({ code: 0, stdout: `exported 3 Okta app users of 2 Office 365 apps to ${out} (7 requests, 0 retries; AD apps ${AD_APP})\n`, stderr: '' });
  const [u0, u1] = users;
  expect(readFileSync(out, 'utf8')).toBe(
    `\uFEFF${csv(
      `
      okta_user_id,user_name,status,scope,immutable_id,entra_id,ad_external_id,ad_app_id,app_id,app_assignment_id,note
      ${u0.id},${u0.login},PROVISIONED,USER,${u0.immutableId},${u0.entraId},,,${O365_APP},${u0.assignmentId},
      ${u1.id},${u1.login},PROVISIONED,USER,${u1.immutableId},${u1.entraId},${u1.ad[0].externalId},${AD_APP},${O365_APP},${u1.assignmentId},
      ${u1.id},${u1.login},PROVISIONED,USER,other-value,${u1.entraId},${u1.ad[0].externalId},${AD_APP},${SECOND},0uasecond0000000001,
    `,
      '\r\n',
    )}`,
  );
});

test('an org that keeps failing: the export stops after its retries and leaves no file', async () => {
  const users = seededUsers(10);
  org = await startOrg({
    apps: appsFor(users),
    service: { clientId: CLIENT_ID, publicKey: keyPair().publicKey, scopes: ['okta.apps.read'], adminRole: true },
    faults: { rate503: 1, rate504: 0, rateDrop: 0, latencyMs: 0, seed: 1 },
  });
  const dir = tempDir();
  const key = writeKey(dir);
  const r = await runCli(['export', 'okta', '--org-url', org.url, '--app-id', O365_APP, '--ad-app-id', AD_APP, '--out', join(dir, 'okta.csv'), '--client-id', CLIENT_ID, '--private-key', key, '--max-retries', '0']);
  expect(r.code).toBe(4);
  expect(r.stderr).toMatch(new RegExp(`^idrecon: GET /api/v1/apps/${AD_APP}/users failed: 503 E0000009: Internal Server Error \\(errorId oae[0-9a-f]{16}\\)\\n$`));
  expect(readdirSync(dir)).toEqual(['okta-key.pem']);
});
