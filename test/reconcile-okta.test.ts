/** reconcile --okta: Okta's view of every row, in three columns at the end, counted in the summary. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { G } from './guids';
import { csv, project, reconcileInline, tempDir } from './helpers';

const ONPREM = csv(`
  UserPrincipalName,ObjectGUID
  agree@contoso.com,${G[1].guid}
  differ@contoso.com,${G[2].guid}
  unassigned@contoso.com,${G[3].guid}
  newhire@contoso.com,${G[4].guid}
`);

const CLOUD = csv(`
  id,userPrincipalName,onPremisesImmutableId
  c1,Agree@contoso.com,${G[1].id}
  c2,differ@contoso.com,${G[2].id}
  c3,unassigned@contoso.com,${G[3].id}
  c5,contractor@contoso.com,00ucontractor0000001
  c6,guest@contoso.com,
  c7,Ünal@contoso.com,
`);

const OKTA = csv(`
  okta_user_id,user_name,status,scope,immutable_id,entra_id,ad_external_id,ad_app_id,app_id,app_assignment_id,note
  00uagree000000000001,agree@contoso.com,PROVISIONED,USER,${G[1].id},c1,${G[1].id},0oaad00000000000001,0oaoffice3650000001,,
  00udiffer00000000001,differ@contoso.com,PROVISIONED,USER,${G[5].id},c2,${G[5].id},0oaad00000000000001,0oaoffice3650000001,,
  00unewhire0000000001,NewHire@contoso.com,PROVISIONED,USER,${G[4].id},,${G[4].id},0oaad00000000000001,0oaoffice3650000001,,
  00ucontractor0000001,contractor@contoso.com,PROVISIONED,USER,00ucontractor0000001,c5,,,0oaoffice3650000001,,
  00uleaver00000000001,leaver@contoso.com,PROVISIONED,USER,,,,,0oaoffice3650000001,,
  00uunal0000000000001,ünal@contoso.com,PROVISIONED,USER,,c7,,,0oaoffice3650000001,,
  00uagree000000000001,agree@contoso.com,PROVISIONED,USER,${G[1].id},c1,${G[1].id},0oaad00000000000001,0oaoffice365000002,,
`);

test('each row gets the Okta user with its UPN, the value Okta pushes, and whether it is the one the row should carry', async () => {
  const okta = join(tempDir(), 'okta.csv');
  writeFileSync(okta, OKTA);
  const r = await reconcileInline(ONPREM, CLOUD, ['--okta', okta]);
  expect(r.code).toBe(0);
  expect(project(r.reconciliation, ['upn', 'status', 'reason', 'expected_immutable_id', 'cloud_immutable_id', 'okta_user_id', 'okta_immutable_id', 'okta_check'])).toBe(
    csv(`
      upn,status,reason,expected_immutable_id,cloud_immutable_id,okta_user_id,okta_immutable_id,okta_check
      agree@contoso.com,match,,${G[1].id},${G[1].id},00uagree000000000001,${G[1].id},agrees
      differ@contoso.com,match,,${G[2].id},${G[2].id},00udiffer00000000001,${G[5].id},differs
      unassigned@contoso.com,match,,${G[3].id},${G[3].id},,,not-assigned
      newhire@contoso.com,onprem-only,will-create,${G[4].id},,00unewhire0000000001,${G[4].id},agrees
      contractor@contoso.com,cloud-only,okta-anchored,,00ucontractor0000001,00ucontractor0000001,00ucontractor0000001,agrees
      guest@contoso.com,cloud-only,unanchored,,,,,not-assigned
      Ünal@contoso.com,cloud-only,unanchored,,,00uunal0000000000001,,agrees
    `),
  );
  // Okta's three columns come last, after every column reconcile writes without --okta.
  const header = r.reconciliation.slice(1, r.reconciliation.indexOf('\r\n'));
  expect(header.endsWith(',okta_user_id,okta_immutable_id,okta_check')).toBe(true);
  expect(r.summary.okta).toEqual({
    file: okta,
    rows: 7,
    users: 6,
    without_user_name: 0,
    not_in_reconciliation: 1,
    check: { agrees: 4, differs: 1, 'not-assigned': 2 },
  });
  expect(r.stdout).toContain('okta: agrees 4, differs 1, not-assigned 2 (6 Okta users, 1 of them in no row)\n');
});

test('without --okta the reconciliation is byte for byte the same as before, and the summary has no okta key', async () => {
  const okta = join(tempDir(), 'okta.csv');
  writeFileSync(okta, OKTA);
  const plain = await reconcileInline(ONPREM, CLOUD);
  const withOkta = await reconcileInline(ONPREM, CLOUD, ['--okta', okta]);
  const strip = (text: string) =>
    text
      .split('\r\n')
      .map((line) => line.split(',').slice(0, -3).join(','))
      .join('\r\n');
  expect(strip(withOkta.reconciliation)).toBe(plain.reconciliation);
  expect(plain.summary).not.toHaveProperty('okta');
});

test('an Okta file without a user name column is refused before anything is written', async () => {
  const okta = join(tempDir(), 'okta.csv');
  writeFileSync(okta, 'id,externalId\n00u1,c1\n');
  const r = await reconcileInline(ONPREM, CLOUD, ['--okta', okta]);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(
    `idrecon: ${okta}, line 1: no user name column (looked for user_name, userName, credentials.userName, login); headers found: 'id', 'externalId'; ` +
      'expected an Okta export (idrecon export okta), or a hand-made one with user name and profile.immutableId columns\n',
  );
  expect(r.reconciliation).toBe('');
});
