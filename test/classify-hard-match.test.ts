/**
 * Entra Connect tries hard match first, on the anchor alone: a user whose ImmutableID another
 * cloud account carries is matched to that account, whatever its own cloud row looks like.
 */
import { G } from './guids';
import { csv, project, reconcileInline } from './helpers';

test('swapped anchors hard-match each user to the other cloud account', async () => {
  const r = await reconcileInline(
    csv(`
      UserPrincipalName,ObjectGUID
      frank@contoso.com,${G[1].guid}
      grace@contoso.com,${G[2].guid}
      no-anchor-yet@contoso.com,${G[3].guid}
      okta@contoso.com,${G[4].guid}
    `),
    csv(`
      id,userPrincipalName,onPremisesImmutableId
      c1,frank@contoso.com,${G[2].id}
      c2,grace@contoso.com,${G[1].id}
      c3,no-anchor-yet@contoso.com,
      c4,okta@contoso.com,00u9k8j7h6g5f4e3d2c1
      c5,leftover@contoso.com,${G[3].id}
      c6,okta.copy@contoso.com,${G[4].id}
    `),
    ['--block-soft-match'],
  );
  expect(project(r.reconciliation, ['upn', 'status', 'reason', 'entra_connect', 'match_upn', 'related_upn'])).toBe(
    csv(`
      upn,status,reason,entra_connect,match_upn,related_upn
      frank@contoso.com,mismatch,anchor-of-other-user,hard-match,grace@contoso.com,grace@contoso.com
      grace@contoso.com,mismatch,anchor-of-other-user,hard-match,frank@contoso.com,frank@contoso.com
      no-anchor-yet@contoso.com,missing,,hard-match,leftover@contoso.com,
      okta@contoso.com,okta-anchored,okta-user-id,hard-match,okta.copy@contoso.com,
      leftover@contoso.com,cloud-only,anchor-of-onprem-user,hard-match,,no-anchor-yet@contoso.com
      okta.copy@contoso.com,cloud-only,anchor-of-onprem-user,hard-match,,okta@contoso.com
    `),
  );
});

test('a quarantined duplicate that carries an on-prem anchor is hard-matched, not out of scope', async () => {
  const r = await reconcileInline(
    csv(`
      UserPrincipalName,ObjectGUID
      jo@contoso.com,${G[1].guid}
    `),
    csv(`
      id,userPrincipalName,onPremisesImmutableId
      c1,jo@contoso.com,
      c2,jo+4821@contoso.onmicrosoft.com,${G[1].id}
      c3,al+1234@contoso.onmicrosoft.com,${G[2].id}
    `),
  );
  expect(project(r.reconciliation, ['upn', 'status', 'reason', 'entra_connect', 'match_upn', 'related_upn'])).toBe(
    csv(`
      upn,status,reason,entra_connect,match_upn,related_upn
      jo@contoso.com,missing,,hard-match,jo+4821@contoso.onmicrosoft.com,
      jo+4821@contoso.onmicrosoft.com,cloud-only,quarantined-duplicate,hard-match,,jo@contoso.com
      al+1234@contoso.onmicrosoft.com,cloud-only,quarantined-duplicate,out-of-scope,,
    `),
  );
});

test('an anchor on a cloud row with no UPN still means hard match (the row itself is invalid)', async () => {
  const r = await reconcileInline(
    csv(`
      UserPrincipalName,ObjectGUID
      jo@contoso.com,${G[1].guid}
    `),
    csv(`
      id,userPrincipalName,onPremisesImmutableId
      c1,,${G[1].id}
    `),
  );
  expect(project(r.reconciliation, ['upn', 'status', 'reason', 'entra_connect', 'match_upn', 'cloud_line'])).toBe(
    csv(`
      upn,status,reason,entra_connect,match_upn,cloud_line
      jo@contoso.com,onprem-only,anchor-under-other-upn,hard-match,,
      ,invalid,empty-upn,unknown,,2
    `),
  );
});
