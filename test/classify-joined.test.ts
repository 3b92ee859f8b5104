/** Users on both sides: the cloud ImmutableID compared with the one the on-prem anchor gives. */
import { G } from './guids';
import { csv, project, reconcileInline } from './helpers';

const ONPREM = csv(`
  UserPrincipalName,ObjectGUID,mS-DS-ConsistencyGuid
  match@contoso.com,${G[1].guid},
  missing@contoso.com,${G[2].guid},
  okta-app@contoso.com,${G[3].guid},
  okta-user@contoso.com,${G[4].guid},
  byte-order@contoso.com,${G[5].guid},
  other-attr@contoso.com,${G[6].guid},${G[7].guid}
  other-user@contoso.com,${G[8].guid},
  unknown@contoso.com,${G[1].guid.replace('0001', '0009')},
  not-guid@contoso.com,{${G[3].guid.replace('0003', '000a')}},
  anchor-owner@contoso.com,${G[9].guid},
`);

const CLOUD = csv(`
  id,userPrincipalName,onPremisesImmutableId
  c1,MATCH@contoso.com,${G[1].id}
  c2,missing@contoso.com,
  c3,okta-app@contoso.com,0ua1x2y3z4a5b6c7d8e9
  c4,okta-user@contoso.com,00u9k8j7h6g5f4e3d2c1
  c5,byte-order@contoso.com,${G[5].displayOrder}
  c6,other-attr@contoso.com,${G[6].id}
  c7,other-user@contoso.com,${G[9].id}
  c8,unknown@contoso.com,${G.stranger.id}
  c9,not-guid@contoso.com,E012345
`);

test('each joined pair gets its status, reason and Entra Connect outcome', async () => {
  const r = await reconcileInline(ONPREM, CLOUD);
  expect(r.code).toBe(0);
  expect(project(r.reconciliation, ['upn', 'status', 'reason', 'entra_connect', 'related_upn', 'onprem_line', 'cloud_line'])).toBe(
    csv(`
      upn,status,reason,entra_connect,related_upn,onprem_line,cloud_line
      match@contoso.com,match,,hard-match,,2,2
      missing@contoso.com,missing,,soft-match,,3,3
      okta-app@contoso.com,okta-anchored,okta-appuser-id,duplicate-created,,4,4
      okta-user@contoso.com,okta-anchored,okta-user-id,duplicate-created,,5,5
      byte-order@contoso.com,mismatch,byte-order,duplicate-created,,6,6
      other-attr@contoso.com,mismatch,other-anchor-attribute,duplicate-created,,7,7
      other-user@contoso.com,mismatch,anchor-of-other-user,duplicate-created,anchor-owner@contoso.com,8,8
      unknown@contoso.com,mismatch,unknown-object,duplicate-created,,9,9
      not-guid@contoso.com,mismatch,not-guid,duplicate-created,,10,10
      anchor-owner@contoso.com,onprem-only,anchor-under-other-upn,hard-match,other-user@contoso.com,11,
    `),
  );
});

test('a row carries the anchor, both GUIDs and the cloud side as written', async () => {
  const r = await reconcileInline(ONPREM, CLOUD);
  const lines = r.reconciliation.split('\r\n');
  expect(lines[0]).toBe(
    '\ufeffupn,status,reason,entra_connect,entra_connect_reason,match_upn,expected_immutable_id,cloud_immutable_id,anchor_attribute,object_guid,consistency_guid,cloud_upn,cloud_object_id,cloud_sync_enabled,cloud_roles,cloud_privileged_role,related_upn,onprem_line,cloud_line',
  );
  expect(lines[1]).toBe(`match@contoso.com,match,,hard-match,,,${G[1].id},${G[1].id},objectGUID,${G[1].guid},,MATCH@contoso.com,c1,,,,,2,2`);
  expect(lines[6]).toBe(
    `other-attr@contoso.com,mismatch,other-anchor-attribute,duplicate-created,anchor-differs,,${G[7].id},${G[6].id},mS-DS-ConsistencyGuid,${G[6].guid},${G[7].guid},other-attr@contoso.com,c6,,,,,7,7`,
  );
});

test('with --block-soft-match a missing ImmutableID becomes a duplicate, not a soft match', async () => {
  const r = await reconcileInline(ONPREM, CLOUD, ['--block-soft-match']);
  expect(project(r.reconciliation, ['upn', 'status', 'entra_connect']).split('\n')[2]).toBe('missing@contoso.com,missing,duplicate-created');
});
