/**
 * An app with User.ReadWrite.All alone cannot change the sensitive attributes (userPrincipalName,
 * onPremisesImmutableId) of a user who holds an active administrator role: 403, in Graph's words.
 * Roles come from the seed's directoryRoles column; an eligible (not activated) role does not count.
 * Page: https://learn.microsoft.com/graph/api/resources/user ("Who can update sensitive attributes"),
 * https://learn.microsoft.com/graph/api/user-update
 */
import { csvFile, tempDir } from '../harness';
import { readCloudUsers } from '../../../lib/formats/cloud-users';
import { type Http, error, http } from './http';
import { USERS, uid } from './users';

const DENIED = { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' };

describe('sensitive attributes of administrators', () => {
  let g: Http;
  beforeAll(async () => {
    g = await http(USERS());
  });
  afterAll(() => g.close());

  it('refuses a new ImmutableID or UPN for a Global Administrator, and changes nothing', async () => {
    expect(error(await g.patch(`/v1.0/users/${uid(4)}`, { onPremisesImmutableId: 'bmV3' }))).toEqual(DENIED);
    expect(error(await g.patch(`/v1.0/users/${uid(4)}`, { userPrincipalName: 'admin@contoso.com' }))).toEqual(DENIED);
    expect(g.tenant.state.find(uid(4))).toMatchObject({ onPremisesImmutableId: 'YWRtaW4=', userPrincipalName: 'user4@contoso.com' });
  });

  it('lets other properties of the administrator change', async () => {
    expect((await g.patch(`/v1.0/users/${uid(4)}`, { displayName: 'Admin (IT)' })).status).toBe(204);
  });

  it('does not count a role the user is only eligible for', async () => {
    expect((await g.patch(`/v1.0/users/${uid(5)}`, { onPremisesImmutableId: 'bmV3LWVsaWdpYmxl' })).status).toBe(204);
  });

  it("reads the roles from the seed's directoryRoles column", async () => {
    const seed = csvFile(
      tempDir(),
      'seed.csv',
      'id,userPrincipalName,displayName,onPremisesImmutableId,onPremisesSyncEnabled,mail,directoryRoles',
      `${uid(8)},ga@contoso.com,GA,,,,Global Administrator;User Administrator (eligible)`,
      `${uid(9)},pim@contoso.com,PIM,,,,User Administrator (eligible)`,
    );
    const t = await http(await readCloudUsers(seed));
    try {
      expect(error(await t.patch(`/v1.0/users/${uid(8)}`, { onPremisesImmutableId: 'Z2E=' }))).toEqual(DENIED);
      expect((await t.patch(`/v1.0/users/${uid(9)}`, { onPremisesImmutableId: 'cGlt' })).status).toBe(204);
    } finally {
      await t.close();
    }
  });
});
