/** Users on one side only: what Entra Connect will create, hard-match or leave alone. */
import { G } from './guids';
import { csv, project, reconcileInline } from './helpers';

test('on-prem-only and cloud-only users are told apart by where their anchors point', async () => {
  const r = await reconcileInline(
    csv(`
      UserPrincipalName,ObjectGUID
      new.hire@contoso.com,${G[1].guid}
      renamed@contoso.com,${G[2].guid}
    `),
    csv(`
      id,userPrincipalName,onPremisesImmutableId
      c1,old.name@contoso.com,${G[2].id}
      c2,jo.smith+4821@contoso.onmicrosoft.com,${G[3].id}
      c3,contractor@contoso.com,00u1q2w3e4r5t6y7u8i9
      c4,departed@contoso.com,${G[4].id}
      c5,admin@contoso.onmicrosoft.com,
      c6,jo+123@contoso.onmicrosoft.com,
    `),
  );
  expect(r.code).toBe(0);
  expect(project(r.reconciliation, ['upn', 'status', 'reason', 'entra_connect', 'related_upn', 'onprem_line', 'cloud_line'])).toBe(
    csv(`
      upn,status,reason,entra_connect,related_upn,onprem_line,cloud_line
      new.hire@contoso.com,onprem-only,will-create,create,,2,
      renamed@contoso.com,onprem-only,anchor-under-other-upn,hard-match,old.name@contoso.com,3,
      old.name@contoso.com,cloud-only,anchor-of-onprem-user,hard-match,renamed@contoso.com,,2
      jo.smith+4821@contoso.onmicrosoft.com,cloud-only,quarantined-duplicate,out-of-scope,,,3
      contractor@contoso.com,cloud-only,okta-anchored,out-of-scope,,,4
      departed@contoso.com,cloud-only,orphan-anchor,out-of-scope,,,5
      admin@contoso.onmicrosoft.com,cloud-only,unanchored,out-of-scope,,,6
      jo+123@contoso.onmicrosoft.com,cloud-only,unanchored,out-of-scope,,,7
    `),
  );
});
