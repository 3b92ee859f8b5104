/** Which attribute is the source anchor: Entra Connect's rule by default, or the one named. */
import { G } from './guids';
import { csv, project, reconcileInline } from './helpers';

const ONPREM = csv(`
  UserPrincipalName,ObjectGUID,mS-DS-ConsistencyGuid
  written-back@contoso.com,${G[1].guid},${G[2].guid}
  never-synced@contoso.com,${G[3].guid},
`);
const CLOUD = csv(`
  id,userPrincipalName,onPremisesImmutableId
  c1,written-back@contoso.com,${G[2].id}
  c2,never-synced@contoso.com,${G[3].id}
`);
const COLUMNS = ['upn', 'status', 'reason', 'anchor_attribute', 'expected_immutable_id'];

test('auto uses mS-DS-ConsistencyGuid when set, else objectGUID', async () => {
  const r = await reconcileInline(ONPREM, CLOUD);
  expect(project(r.reconciliation, COLUMNS)).toBe(
    csv(`
      upn,status,reason,anchor_attribute,expected_immutable_id
      written-back@contoso.com,match,,mS-DS-ConsistencyGuid,${G[2].id}
      never-synced@contoso.com,match,,objectGUID,${G[3].id}
    `),
  );
});

test('--source-anchor objectGUID ignores mS-DS-ConsistencyGuid except to explain a mismatch', async () => {
  const r = await reconcileInline(ONPREM, CLOUD, ['--source-anchor', 'objectGUID']);
  expect(project(r.reconciliation, COLUMNS)).toBe(
    csv(`
      upn,status,reason,anchor_attribute,expected_immutable_id
      written-back@contoso.com,mismatch,other-anchor-attribute,objectGUID,${G[1].id}
      never-synced@contoso.com,match,,objectGUID,${G[3].id}
    `),
  );
});

test('--source-anchor mS-DS-ConsistencyGuid makes an empty one unusable', async () => {
  const r = await reconcileInline(ONPREM, CLOUD, ['--source-anchor', 'mS-DS-ConsistencyGuid']);
  expect(project(r.reconciliation, ['upn', 'status', 'reason'])).toBe(
    csv(`
      upn,status,reason
      written-back@contoso.com,match,
      never-synced@contoso.com,invalid,bad-anchor
    `),
  );
});

test('--source-anchor mS-DS-ConsistencyGuid needs the column, and says which headers it found', async () => {
  const r = await reconcileInline(csv(`
    UserPrincipalName,ObjectGUID
    a@contoso.com,${G[1].guid}
  `), CLOUD, ['--source-anchor', 'mS-DS-ConsistencyGuid']);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(
    `idrecon: ${r.dir}/onprem.csv, line 1: no mS-DS-ConsistencyGuid column (looked for mS-DS-ConsistencyGuid, msDS-ConsistencyGuid, ConsistencyGuid); headers found: 'UserPrincipalName', 'ObjectGUID'; name it with --onprem-consistency-guid-column\n`,
  );
});
