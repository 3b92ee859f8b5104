/**
 * reconciliation.csv, written from bytes by reconcile, reads back through the plan's reader to
 * the values of the exports: a UPN a CSV must quote takes the byte writer's quoting branch.
 */
import { join } from 'node:path';
import { type ReconciliationRow, readReconciliation } from '../../lib/formats/reconciliation';
import { csv, reconcileInline } from '../helpers';

test('reconciliation rows round-trip from the exports through the file', async () => {
  const r = await reconcileInline(
    csv(`
      UserPrincipalName,ObjectGUID
      "o'neil,""jo""@contoso.com",1a1ad9fb-e695-555c-a53b-c97f20e2e0cb
      ann@contoso.com,2b2bd9fb-e695-555c-a53b-c97f20e2e0cb
    `),
    csv(`
      id,userPrincipalName,onPremisesImmutableId,onPremisesSyncEnabled,directoryRoles
      c1,"o'neil,""jo""@contoso.com",+9kaGpXmXFWlO8l/IOLgyw==,True,
      c2,ann@contoso.com,,,User Administrator (eligible)
    `),
  );
  expect(r.code).toBe(0);
  const rows: ReconciliationRow[] = [];
  for await (const row of readReconciliation(join(r.dir, 'out', 'reconciliation.csv'))) rows.push(row);
  const upn = `o'neil,"jo"@contoso.com`;
  expect(r.reconciliation.split('\r\n')[1]).toMatch(/^"o'neil,""jo""@contoso.com",match,/);
  const row = (cells: Partial<ReconciliationRow>): ReconciliationRow => ({
    line: 0,
    upn: '',
    status: '',
    reason: '',
    entraConnect: '',
    entraConnectReason: '',
    matchUpn: '',
    expectedImmutableId: '',
    cloudImmutableId: '',
    anchorAttribute: 'objectGUID',
    cloudUpn: '',
    cloudObjectId: '',
    cloudSyncEnabled: '',
    cloudRoles: '',
    relatedUpn: '',
    ...cells,
  });
  expect(rows).toEqual([
    row({ line: 2, upn, status: 'match', entraConnect: 'hard-match', expectedImmutableId: '+9kaGpXmXFWlO8l/IOLgyw==', cloudImmutableId: '+9kaGpXmXFWlO8l/IOLgyw==', cloudUpn: upn, cloudObjectId: 'c1', cloudSyncEnabled: 'true' }),
    row({
      line: 3,
      upn: 'ann@contoso.com',
      status: 'missing',
      entraConnect: 'duplicate-created',
      entraConnectReason: 'admin-role',
      expectedImmutableId: '+9krK5XmXFWlO8l/IOLgyw==',
      cloudUpn: 'ann@contoso.com',
      cloudObjectId: 'c2',
      cloudRoles: 'User Administrator (eligible)',
    }),
  ]);
});
