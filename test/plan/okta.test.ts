/** With Okta's app users: anchors for users with no AD account, and Okta profiles that disagree. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { G } from '../guids';
import { csv, project, tempDir } from '../helpers';
import { planInline } from './helpers';

test('Okta-only users get their Okta app user id; a disagreeing Okta externalId is put to review', async () => {
  const dir = tempDir();
  const okta = join(dir, 'okta-appusers.csv');
  writeFileSync(
    okta,
    csv(`
      id,credentials.userName,externalId
      0uacontractor0000001,contractor@contoso.com,
      0uamatch000000000001,match@contoso.com,${G[2].id}
    `),
  );
  const r = await planInline(
    csv(`
      UserPrincipalName,ObjectGUID
      match@contoso.com,${G[1].guid}
    `),
    csv(`
      id,userPrincipalName,onPremisesImmutableId
      c1,match@contoso.com,${G[1].id}
      c2,Contractor@contoso.com,
      c3,stranger@contoso.com,
    `),
    ['--federated-domains', 'none', '--okta', okta],
  );
  expect(r.code).toBe(0);
  expect(project(r.plan, ['row', 'upn', 'status', 'reason', 'action', 'target_immutable_id', 'why'])).toBe(
    csv(`
      row,upn,status,reason,action,target_immutable_id,why
      1,match@contoso.com,match,,review,${G[1].id},Okta's externalId for this user is ${G[2].id} but the on-prem anchor gives ${G[1].id}: Okta provisioning would stamp its value again; correct the Okta profile first.
      2,Contractor@contoso.com,cloud-only,unanchored,set-immutable-id,0uacontractor0000001,"The user has no AD account and Okta provisions it: set it to 0uacontractor0000001, Okta's app user id, as Okta documents for users with no AD source."
    `),
  );
});
