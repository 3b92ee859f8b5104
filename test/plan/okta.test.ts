/** With Okta's app users: anchors for users with no AD account, and Okta profiles that would push another value back. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { G } from '../guids';
import { csv, project, tempDir } from '../helpers';
import { planInline } from './helpers';

const ONPREM = csv(`
  UserPrincipalName,ObjectGUID
  match@contoso.com,${G[1].guid}
  pushed@contoso.com,${G[3].guid}
`);

const CLOUD = csv(`
  id,userPrincipalName,onPremisesImmutableId
  c1,match@contoso.com,${G[1].id}
  c2,Contractor@contoso.com,
  c3,stranger@contoso.com,
  c4,pushed@contoso.com,${G[3].id}
  c5,noprofile@contoso.com,
`);

async function planWith(oktaCsv: string) {
  const okta = join(tempDir(), 'okta.csv');
  writeFileSync(okta, oktaCsv);
  const r = await planInline(ONPREM, CLOUD, ['--federated-domains', 'none', '--okta', okta]);
  expect(r.code).toBe(0);
  return project(r.plan, ['row', 'upn', 'status', 'reason', 'action', 'target_immutable_id', 'why']);
}

test('from idrecon export okta: Okta-only users get the value Okta pushes; a profile.immutableId other than the anchor is put to review', async () => {
  const plan = await planWith(
    csv(`
      okta_user_id,user_name,status,scope,immutable_id,entra_id,ad_external_id,ad_app_id,app_id,app_assignment_id,note
      00ucontractor0000001,contractor@contoso.com,PROVISIONED,USER,00ucontractor0000001,c2,,,0oaoffice3650000001,0uacontractor0000001,
      00umatch000000000001,match@contoso.com,PROVISIONED,USER,${G[1].id},c1,${G[1].id},0oaad00000000000001,0oaoffice3650000001,,
      00upushed00000000001,pushed@contoso.com,PROVISIONED,GROUP,${G[2].id},c4,${G[2].id},0oaad00000000000001,0oaoffice3650000001,,
      00unoprofile00000001,noprofile@contoso.com,PROVISIONED,USER,,c5,,,0oaoffice3650000001,,
    `),
  );
  expect(plan).toBe(
    csv(`
      row,upn,status,reason,action,target_immutable_id,why
      1,pushed@contoso.com,match,,review,${G[3].id},"Okta pushes ${G[2].id} as this user's ImmutableID (profile.immutableId of its Office 365 app user) but the on-prem anchor gives ${G[3].id}: Okta would push its value back over any fix; correct the Okta mapping, or turn provisioning off, first."
      2,Contractor@contoso.com,cloud-only,unanchored,set-immutable-id,00ucontractor0000001,"The user has no AD account and Okta provisions it: set it to 00ucontractor0000001, the value Okta pushes as its ImmutableID (profile.immutableId), so that Okta's next push changes nothing."
      3,noprofile@contoso.com,cloud-only,unanchored,review,,"The user has no AD account and Okta provisions it, but Okta's profile has no immutableId for it, so what Okta will push is not known (Okta substitutes an id of its own on assignment): export the Okta side with idrecon export okta, or set the mapping Okta recommends (user.getInternalProperty(""id"")), and plan again."
    `),
  );
});

test("a hand-made export of /apps/{appId}/users: id is the Okta user id, externalId the Entra id (not read), profile.immutableId what Okta pushes", async () => {
  const plan = await planWith(
    csv(`
      id,credentials.userName,externalId,profile.immutableId
      00ucontractor0000001,contractor@contoso.com,c2,00ucontractor0000001
      00umatch000000000001,match@contoso.com,c1,${G[1].id}
    `),
  );
  expect(plan).toBe(
    csv(`
      row,upn,status,reason,action,target_immutable_id,why
      1,Contractor@contoso.com,cloud-only,unanchored,set-immutable-id,00ucontractor0000001,"The user has no AD account and Okta provisions it: set it to 00ucontractor0000001, the value Okta pushes as its ImmutableID (profile.immutableId), so that Okta's next push changes nothing."
    `),
  );
});

test('a hand-made export without profile.immutableId: Okta-only users are put to review, nothing is guessed', async () => {
  const plan = await planWith(
    csv(`
      id,credentials.userName,externalId
      00ucontractor0000001,contractor@contoso.com,c2
    `),
  );
  expect(plan).toBe(
    csv(`
      row,upn,status,reason,action,target_immutable_id,why
      1,Contractor@contoso.com,cloud-only,unanchored,review,,"The user has no AD account and Okta provisions it, but the Okta file has no profile.immutableId column, so what Okta will push is not known (Okta substitutes an id of its own on assignment): export the Okta side with idrecon export okta, or set the mapping Okta recommends (user.getInternalProperty(""id"")), and plan again."
    `),
  );
});
