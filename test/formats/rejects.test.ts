/** rejects.csv names each unusable input row: file, line, column, the value as it was, and why. */
import { join } from 'node:path';
import { REJECT_COLUMNS } from '../../lib/formats/rejects';
import { readTable } from '../../lib/io/table';
import { csv, reconcileInline } from '../helpers';

test('reject rows round-trip from the exports through the file', async () => {
  const r = await reconcileInline(
    csv(`
      UserPrincipalName,ObjectGUID
      ann@contoso.com,"not,a guid"
      ,2b2bd9fb-e695-555c-a53b-c97f20e2e0cb
    `),
    'id,userPrincipalName,onPremisesImmutableId\n',
  );
  expect(r.code).toBe(0);
  const specs = REJECT_COLUMNS.map((c) => ({ field: c, label: c, aliases: [c], required: true }));
  const rows: Record<string, string>[] = [];
  for await (const row of readTable(join(r.dir, 'out', 'rejects.csv'), { encoding: 'auto', delimiter: 'auto' }, specs)) {
    rows.push(Object.fromEntries(REJECT_COLUMNS.map((c) => [c, row.cell(c)])));
  }
  const onprem = join(r.dir, 'onprem.csv');
  expect(rows).toEqual([
    {
      file: onprem,
      line: '2',
      column: 'ObjectGUID',
      value: 'not,a guid',
      reason: 'bad-anchor',
      message: "'not,a guid' is not a GUID in any spelling idrecon knows (GUID, X'hex', Base64, LDAP escape); check the export",
    },
    {
      file: onprem,
      line: '3',
      column: 'UserPrincipalName',
      value: '',
      reason: 'empty-upn',
      message: 'the UPN is empty, so the row cannot be joined; give the user a UPN or leave the row out',
    },
  ]);
});
