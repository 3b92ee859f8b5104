/** The Okta users file reads back to the app users plan checks, one entry per user name. */
import { join } from 'node:path';
import { OKTA_CSV_COLUMNS, type OktaCsvColumn, readOktaAppUsers } from '../../lib/formats/okta-users';
import { CsvWriter } from '../../lib/io/csv-writer';
import { OktaView } from '../../lib/reconcile/okta';
import { tempDir } from '../helpers';

type Cells = Partial<Record<OktaCsvColumn, string>>;

/** An Okta file with these rows, as export okta writes it. */
async function oktaFile(rows: Cells[]): Promise<string> {
  const file = join(tempDir(), 'okta.csv');
  const out = new CsvWriter(file, OKTA_CSV_COLUMNS);
  for (const cells of rows) await out.row(OKTA_CSV_COLUMNS.map((c) => cells[c] ?? ''));
  await out.commit();
  return file;
}

test('Okta app users round-trip through the file', async () => {
  const file = await oktaFile([
    { okta_user_id: '00u1', user_name: 'Judy.Jones@contoso.com', immutable_id: '+9kaGpXmXFWlO8l/IOLgyw==', app_id: '0oa1' },
    { okta_user_id: '00u1', user_name: 'judy.jones@contoso.com', immutable_id: 'other,value', app_id: '0oa2' },
    { okta_user_id: '00u2', user_name: 'bob@contoso.com', app_id: '0oa1' },
  ]);
  expect(await readOktaAppUsers(file)).toEqual(
    new Map([
      ['judy.jones@contoso.com', { userId: '00u1', immutableIds: ['+9kaGpXmXFWlO8l/IOLgyw==', 'other,value'], knowsImmutableId: true }],
      ['bob@contoso.com', { userId: '00u2', immutableIds: [], knowsImmutableId: true }],
    ]),
  );
});

test('reconcile --plan takes the same app users from the Okta file it already loaded', async () => {
  const file = await oktaFile([
    { okta_user_id: '00u1', user_name: 'Judy.Jones@contoso.com', immutable_id: '+9kaGpXmXFWlO8l/IOLgyw==', app_id: '0oa1' },
    { okta_user_id: '00u9', user_name: 'JUDY.jones@contoso.com', immutable_id: 'other,value', app_id: '0oa2' },
    { okta_user_id: '00u2', user_name: 'Ærøskøbing@contoso.com', app_id: '0oa1' },
    { okta_user_id: '00u3', immutable_id: 'no-name', app_id: '0oa1' },
  ]);
  const users = await readOktaAppUsers(file);
  expect(users.size).toBe(3);
  expect((await OktaView.load(file)).appUsers()).toEqual(users);
});
