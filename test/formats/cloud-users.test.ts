/** The cloud users file reads back to the users it was written from, whatever their cells hold. */
import { join } from 'node:path';
import { type CloudUser, cloudUserFields, cloudUsersWriter, readCloudUsers } from '../../lib/formats/cloud-users';
import { tempDir } from '../helpers';

const USERS: CloudUser[] = [
  {
    id: '11111111-1111-4111-8111-111111111111',
    userPrincipalName: 'judy.jones@contoso.com',
    displayName: 'Jones, Judy "JJ"',
    onPremisesImmutableId: '+9kaGpXmXFWlO8l/IOLgyw==',
    onPremisesSyncEnabled: true,
    mail: 'judy.jones@contoso.com',
    directoryRoles: ['Global Administrator', 'User Administrator (eligible)'],
    proxyAddresses: ['SMTP:judy.jones@contoso.com', 'smtp:jj@contoso.com'],
    privilegedRole: true,
    onPremisesObjectIdentifier: '1a1ad9fb-e695-555c-a53b-c97f20e2e0cb',
    onPremisesProvisioningErrors: [{ category: 'PropertyConflict', occurredDateTime: '2026-01-02T03:04:05Z', propertyCausingError: 'UserPrincipalName', value: 'a,b' }],
  },
  {
    id: '22222222-2222-4222-8222-222222222222',
    userPrincipalName: 'ünal@contoso.com',
    displayName: '=HYPERLINK("x")',
    onPremisesImmutableId: null,
    onPremisesSyncEnabled: null,
    mail: null,
    proxyAddresses: [],
    privilegedRole: null,
    onPremisesObjectIdentifier: null,
    onPremisesProvisioningErrors: [],
  },
];

test('cloud users round-trip through the file', async () => {
  const file = join(tempDir(), 'cloud.csv');
  const out = cloudUsersWriter(file);
  for (const u of USERS) await out.row(cloudUserFields(u));
  await out.commit();
  expect(await readCloudUsers(file)).toEqual(USERS);
});
