/**
 * The whole Okta path as an admin runs it: export the cloud side from the local tenant and the
 * Okta side from the local org, both with the CLI, then reconcile with --okta and plan.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { G } from '../guids';
import { csv, project, tempDir } from '../helpers';
import { runCli } from '../export/run-cli';
import type { LocalTenant } from '../../lib/tenant/server';
import { CLIENT_ID as TENANT_CLIENT_ID, SECRET, TENANT_ID, csvFile, serve, usersFrom } from '../tenant/harness';
import { type LocalOrg, type OrgAppUser, startOrg } from './org';
import { CLIENT_ID, keyPair, writeKey } from './harness';

const O365 = '0oaoffice3650000001';
const AD = '0oaadcontoso0000001';

const appUser = (userId: string, userName: string, externalId: string | null, immutableId?: string | null): OrgAppUser => ({
  userId,
  userName,
  externalId,
  immutableId,
  scope: 'USER',
  status: 'PROVISIONED',
  assignmentId: `0ua${userId.slice(3)}`,
});

let tenant: LocalTenant | undefined;
let org: LocalOrg | undefined;
afterEach(async () => {
  await tenant?.close();
  await org?.close();
});

test('Okta export and cloud export, through reconcile --okta and plan', async () => {
  const dir = tempDir();
  tenant = await serve({
    users: await usersFrom(
      dir,
      'id,userPrincipalName,displayName,onPremisesImmutableId,onPremisesSyncEnabled,mail',
      `c0000000-0000-4000-8000-000000000001,alice@contoso.com,Alice,${G[1].id},,`,
      'c0000000-0000-4000-8000-000000000002,bob@contoso.com,Bob,,,',
      'c0000000-0000-4000-8000-000000000003,carol@contoso.com,Carol,,,',
      `c0000000-0000-4000-8000-000000000004,dave@contoso.com,Dave,${G[3].id},,`,
    ),
  });
  org = await startOrg({
    apps: [
      {
        id: O365,
        name: 'office365',
        label: 'Microsoft Office 365',
        status: 'ACTIVE',
        users: [
          appUser('00ualice000000000001', 'alice@contoso.com', 'c0000000-0000-4000-8000-000000000001', G[1].id),
          appUser('00ubob00000000000001', 'bob@contoso.com', 'c0000000-0000-4000-8000-000000000002', G[6].id),
          appUser('00ucarol000000000001', 'carol@contoso.com', 'c0000000-0000-4000-8000-000000000003', '00ucarol000000000001'),
        ],
      },
      { id: AD, name: 'active_directory', label: 'contoso.com', status: 'ACTIVE', users: [appUser('00ualice000000000001', 'alice@contoso.com', G[1].id), appUser('00ubob00000000000001', 'bob@contoso.com', G[6].id)] },
    ],
    service: { clientId: CLIENT_ID, publicKey: keyPair().publicKey, scopes: ['okta.apps.read', 'okta.users.read'], adminRole: true },
  });
  const onprem = csvFile(dir, 'onprem.csv', 'UserPrincipalName,ObjectGUID', `alice@contoso.com,${G[1].guid}`, `bob@contoso.com,${G[2].guid}`, `dave@contoso.com,${G[3].guid}`);
  const cloud = join(dir, 'cloud.csv');
  const okta = join(dir, 'okta.csv');
  const out = join(dir, 'out');

  const exportedCloud = await runCli(
    ['export', 'cloud', '--out', cloud, '--tenant-id', TENANT_ID, '--client-id', TENANT_CLIENT_ID, '--graph-url', tenant.url, '--login-url', tenant.url],
    { IDRECON_CLIENT_SECRET: SECRET },
  );
  expect(exportedCloud.code).toBe(0);
  const exportedOkta = await runCli(['export', 'okta', '--org-url', org.url, '--app-id', O365, '--app-links', '--out', okta, '--client-id', CLIENT_ID, '--private-key', writeKey(dir)]);
  expect(exportedOkta).toEqual({ code: 0, stdout: `exported 3 Okta app users of 1 Office 365 app to ${okta} (7 requests, 0 retries; AD apps ${AD})\n`, stderr: '' });
  expect(readFileSync(okta, 'utf8')).toBe(
    `\uFEFF${csv(
      `
      okta_user_id,user_name,status,scope,immutable_id,entra_id,ad_external_id,ad_app_id,app_id,app_assignment_id,note
      00ualice000000000001,alice@contoso.com,PROVISIONED,USER,${G[1].id},c0000000-0000-4000-8000-000000000001,${G[1].id},${AD},${O365},0uaalice000000000001,
      00ubob00000000000001,bob@contoso.com,PROVISIONED,USER,${G[6].id},c0000000-0000-4000-8000-000000000002,${G[6].id},${AD},${O365},0uabob00000000000001,
      00ucarol000000000001,carol@contoso.com,PROVISIONED,USER,00ucarol000000000001,c0000000-0000-4000-8000-000000000003,,,${O365},0uacarol000000000001,
    `,
      '\r\n',
    )}`,
  );

  const reconciled = await runCli(['reconcile', '--onprem', onprem, '--cloud', cloud, '--out', out, '--okta', okta, '--plan', '--plan-id', 'CHG0016', '--federated-domains', 'none']);
  expect(reconciled.code).toBe(0);
  expect(project(readFileSync(join(out, 'reconciliation.csv'), 'utf8'), ['upn', 'status', 'reason', 'okta_user_id', 'okta_immutable_id', 'okta_check'])).toBe(
    csv(`
      upn,status,reason,okta_user_id,okta_immutable_id,okta_check
      alice@contoso.com,match,,00ualice000000000001,${G[1].id},agrees
      bob@contoso.com,missing,,00ubob00000000000001,${G[6].id},differs
      dave@contoso.com,match,,,,not-assigned
      carol@contoso.com,cloud-only,unanchored,00ucarol000000000001,00ucarol000000000001,differs
    `),
  );
  expect(project(readFileSync(join(out, 'plan.csv'), 'utf8'), ['row', 'upn', 'action', 'target_immutable_id'])).toBe(
    csv(`
      row,upn,action,target_immutable_id
      1,bob@contoso.com,review,${G[2].id}
      2,carol@contoso.com,set-immutable-id,00ucarol000000000001
    `),
  );
});
