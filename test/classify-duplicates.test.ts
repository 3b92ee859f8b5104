/** A UPN or an anchor that repeats is never joined: Entra Connect's result cannot be predicted. */
import { G } from './guids';
import { csv, project, reconcileInline } from './helpers';

test('repeated UPNs mark every row with that UPN in both files, and repeated anchors mark the on-prem rows', async () => {
  const r = await reconcileInline(
    csv(`
      UserPrincipalName,ObjectGUID,mS-DS-ConsistencyGuid
      twice@contoso.com,${G[1].guid},
      Twice@Contoso.com,${G[2].guid},
      merged@contoso.com,${G[3].guid},
      clone.source@contoso.com,${G[5].guid},${G[7].guid}
      clone.copy@contoso.com,${G[6].guid},${G[7].guid}
    `),
    csv(`
      id,userPrincipalName,onPremisesImmutableId
      c1,twice@contoso.com,${G[1].id}
      c2,merged@contoso.com,${G[3].id}
      c3,MERGED@contoso.com,${G[3].id}
      c4,clone.source@contoso.com,${G[7].id}
    `),
  );
  expect(r.code).toBe(0);
  expect(project(r.reconciliation, ['upn', 'status', 'reason', 'entra_connect', 'onprem_line', 'cloud_line'])).toBe(
    csv(`
      upn,status,reason,entra_connect,onprem_line,cloud_line
      twice@contoso.com,duplicate,duplicate-upn-onprem,unknown,2,
      Twice@Contoso.com,duplicate,duplicate-upn-onprem,unknown,3,
      merged@contoso.com,duplicate,duplicate-upn-cloud,unknown,4,
      clone.source@contoso.com,duplicate,duplicate-anchor-onprem,unknown,5,5
      clone.copy@contoso.com,duplicate,duplicate-anchor-onprem,unknown,6,
      twice@contoso.com,duplicate,duplicate-upn-onprem,unknown,,2
      merged@contoso.com,duplicate,duplicate-upn-cloud,unknown,,3
      MERGED@contoso.com,duplicate,duplicate-upn-cloud,unknown,,4
    `),
  );
});
