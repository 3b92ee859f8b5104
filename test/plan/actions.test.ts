/** Which change is proposed for which status and reason, and when a person must decide instead. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { G } from '../guids';
import { csv, project, tempDir } from '../helpers';
import { planInline } from './helpers';

const ONPREM = csv(`
  UserPrincipalName,ObjectGUID,mS-DS-ConsistencyGuid
  match@contoso.com,${G[1].guid},
  missing@fabrikam.com,${G[2].guid},
  byte-order@contoso.com,${G[3].guid},
  unknown@contoso.com,${G[4].guid},
  okta@contoso.com,${G[5].guid},
  other-attr@contoso.com,${G[6].guid},${G[7].guid}
  not-guid@contoso.com,${G[8].guid},
  synced@contoso.com,${G[9].guid},
`);
const CLOUD = csv(`
  id,userPrincipalName,onPremisesImmutableId,onPremisesSyncEnabled
  c1,match@contoso.com,${G[1].id},
  c2,missing@fabrikam.com,,
  c3,byte-order@contoso.com,${G[3].displayOrder},
  c4,unknown@contoso.com,${G.stranger.id},
  c5,okta@contoso.com,0ua1x2y3z4a5b6c7d8e9,
  c6,other-attr@contoso.com,${G[6].id},
  c7,not-guid@contoso.com,E1234,
  c8,synced@contoso.com,,True
  c9,jo+4821@contoso.onmicrosoft.com,,
  c10,unanchored@contoso.com,,
`);
const COLUMNS = ['row', 'upn', 'status', 'reason', 'action', 'current_immutable_id', 'target_immutable_id', 'upn_flip', 'staging_upn'];

test('safe fixes are set, the rest is left for a person, and matches get no row', async () => {
  const r = await planInline(ONPREM, CLOUD, ['--federated-domains', 'contoso.com', '--initial-domain', 'contoso.onmicrosoft.com']);
  expect(r.code).toBe(0);
  expect(project(r.plan, COLUMNS)).toBe(
    csv(`
      row,upn,status,reason,action,current_immutable_id,target_immutable_id,upn_flip,staging_upn
      1,missing@fabrikam.com,missing,,set-immutable-id,,${G[2].id},no,
      2,byte-order@contoso.com,mismatch,byte-order,set-immutable-id,${G[3].displayOrder},${G[3].id},yes,byte-order@contoso.onmicrosoft.com
      3,unknown@contoso.com,mismatch,unknown-object,set-immutable-id,${G.stranger.id},${G[4].id},yes,unknown@contoso.onmicrosoft.com
      4,okta@contoso.com,okta-anchored,okta-appuser-id,set-immutable-id,0ua1x2y3z4a5b6c7d8e9,${G[5].id},yes,okta@contoso.onmicrosoft.com
      5,other-attr@contoso.com,mismatch,other-anchor-attribute,review,${G[6].id},${G[7].id},,
      6,not-guid@contoso.com,mismatch,not-guid,review,E1234,${G[8].id},,
      7,synced@contoso.com,missing,,review,,${G[9].id},,
      8,jo+4821@contoso.onmicrosoft.com,cloud-only,quarantined-duplicate,review,,,,
    `),
  );
  expect(project(r.plan, ['row', 'why']).split('\n').slice(1, 3)).toEqual([
    `1,The cloud user has no ImmutableID: set it to ${G[2].id} so that Entra Connect hard-matches the on-prem user.`,
    `2,"The ImmutableID was converted with the wrong byte order: set it to ${G[3].id} so that Entra Connect hard-matches the on-prem user. The UPN is in the federated domain contoso.com, where Graph refuses a new ImmutableID: the UPN is moved to byte-order@contoso.onmicrosoft.com, the ImmutableID changed, and the UPN moved back."`,
  ]);
  expect(project(r.plan, ['row', 'why']).split('\n')[7]).toBe(
    '7,"The cloud user is synchronised from on-prem now (onPremisesSyncEnabled), so Graph refuses the change: fix it at the source."',
  );
  expect(r.stdout).toContain('plan CHG0042: 8 rows in');
});

test('--clear-instead-of-set proposes clearing for the same rows, except where there is nothing to clear', async () => {
  const r = await planInline(ONPREM, CLOUD, ['--federated-domains', 'none', '--clear-instead-of-set']);
  expect(project(r.plan, ['row', 'upn', 'action', 'current_immutable_id', 'target_immutable_id']).split('\n').slice(0, 4)).toEqual([
    'row,upn,action,current_immutable_id,target_immutable_id',
    `1,byte-order@contoso.com,clear-immutable-id,${G[3].displayOrder},`,
    `2,unknown@contoso.com,clear-immutable-id,${G.stranger.id},`,
    '3,okta@contoso.com,clear-immutable-id,0ua1x2y3z4a5b6c7d8e9,',
  ]);
  expect(r.plan).not.toContain('missing@fabrikam.com');
});

test('an anchor already on another cloud account is never set again: ImmutableIDs are unique', async () => {
  const r = await planInline(
    csv(`
      UserPrincipalName,ObjectGUID
      jo@contoso.com,${G[1].guid}
    `),
    csv(`
      id,userPrincipalName,onPremisesImmutableId
      c1,jo@contoso.com,
      c2,jo.old@contoso.com,${G[1].id}
    `),
    ['--federated-domains', 'none'],
  );
  expect(project(r.plan, ['row', 'upn', 'action', 'why'])).toBe(
    csv(`
      row,upn,action,why
      1,jo@contoso.com,review,"The cloud user jo.old@contoso.com already carries this user's anchor, and ImmutableIDs are unique: decide which cloud account belongs to the user."
    `),
  );
});

test('a plan needs to know which domains are federated, and the initial domain when one is', async () => {
  const none = await planInline(ONPREM, CLOUD, []);
  expect(none.code).toBe(2);
  expect(existsSync(join(none.dir, 'out', 'reconciliation.csv'))).toBe(false);
  expect(none.stderr).toBe(
    "idrecon: a plan needs to know which domains are federated: expected --domains domains.csv (from idrecon export cloud --domains-out) or --federated-domains LIST ('none' if none)\n",
  );
  const noInitial = await planInline(ONPREM, CLOUD, ['--federated-domains', 'contoso.com']);
  expect(noInitial.code).toBe(2);
  expect(noInitial.stderr).toMatch(
    /^idrecon: .*\/out\/reconciliation\.csv, line 4: byte-order@contoso\.com is in a federated domain, so its UPN must be moved to the initial domain for the change: expected --initial-domain \(x\.onmicrosoft\.com\) or a --domains file that names it\n$/,
  );
});

test('--domains and --federated-domains together are refused rather than one silently winning', async () => {
  const r = await planInline(ONPREM, CLOUD, ['--domains', 'domains.csv', '--federated-domains', 'none']);
  expect(r.stderr).toBe('idrecon: --domains: expected either a domains file or --federated-domains/--initial-domain, got both\n');
  expect(r.code).toBe(2);
});

test('a user synchronised now is put to review on the Okta path too', async () => {
  const dir = tempDir();
  const okta = join(dir, 'okta.csv');
  writeFileSync(okta, 'id,userName,externalId\n0uasynced00000000001,synced@contoso.com,\n');
  const r = await planInline(
    'UserPrincipalName,ObjectGUID\n',
    csv(`
      id,userPrincipalName,onPremisesImmutableId,onPremisesSyncEnabled
      c1,synced@contoso.com,,True
    `),
    ['--federated-domains', 'none', '--okta', okta],
  );
  expect(project(r.plan, ['upn', 'status', 'reason', 'action'])).toBe('upn,status,reason,action\nsynced@contoso.com,cloud-only,unanchored,review\n');
});
