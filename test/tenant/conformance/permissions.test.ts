/**
 * Each endpoint needs one of the application permissions its Graph page lists; the token's
 * `roles` claim carries what the app was granted, and anything less is 403 Authorization_RequestDenied.
 * Pages: https://learn.microsoft.com/graph/api/user-list, https://learn.microsoft.com/graph/api/user-update,
 * https://learn.microsoft.com/graph/api/domain-list ("Permissions")
 */
import { ROUTES } from '../../../lib/tenant/graph-api';
import { CLIENT_ID, SECRET, TENANT_ID } from '../harness';
import { type Http, error, http, token } from './http';
import { USERS, uid } from './users';

const DENIED = { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' };
const app = (permissions: string[]) => ({ app: { tenantId: TENANT_ID, clientId: CLIENT_ID, secret: SECRET, permissions } });

describe('application permissions from the token', () => {
  let g: Http;
  afterEach(() => g.close());

  it('puts the granted permissions in the roles claim', async () => {
    g = await http(USERS(), app(['User.Read.All']));
    const claims = JSON.parse(Buffer.from((await token(g.tenant)).split('.')[1], 'base64url').toString());
    expect(claims.roles).toEqual(['User.Read.All']);
  });

  it('lets User.Read.All read users, and refuses it a PATCH and the domains', async () => {
    g = await http(USERS(), app(['User.Read.All']));
    expect((await g.get('/v1.0/users?$select=id')).status).toBe(200);
    expect(error(await g.patch(`/v1.0/users/${uid(3)}`, { displayName: 'X' }))).toEqual(DENIED);
    expect(error(await g.get('/v1.0/domains'))).toEqual(DENIED);
  });

  it('lets Directory.ReadWrite.All do all of it, as the higher privileged permission', async () => {
    g = await http(USERS(), app(['Directory.ReadWrite.All']));
    expect((await g.patch(`/v1.0/users/${uid(3)}`, { displayName: 'X' })).status).toBe(204);
    expect((await g.get('/v1.0/domains')).status).toBe(200);
  });

  it('refuses an app with no permissions everywhere, $batch steps included', async () => {
    g = await http(USERS(), app([]));
    expect(error(await g.get(`/v1.0/users/${uid(3)}`))).toEqual(DENIED);
    const batch = await g.batch([{ id: '1', method: 'GET', url: `/users/${uid(3)}` }]);
    expect(batch.body.responses[0]).toMatchObject({ status: 403, body: { error: { code: 'Authorization_RequestDenied' } } });
  });

  it("names, for every route, the permissions and the Graph page they come from", () => {
    expect(ROUTES.map((r) => [r.method, r.path, r.permissions[0], r.page])).toEqual([
      ['GET', '/users', 'User.Read.All', 'https://learn.microsoft.com/graph/api/user-list'],
      ['GET', '/users/$count', 'User.Read.All', 'https://learn.microsoft.com/graph/api/user-list'],
      ['GET', '/users/{key}', 'User.Read.All', 'https://learn.microsoft.com/graph/api/user-get'],
      ['PATCH', '/users/{key}', 'User.ReadWrite.All', 'https://learn.microsoft.com/graph/api/user-update'],
      ['DELETE', '/users/{key}', 'User.ReadWrite.All', 'https://learn.microsoft.com/graph/api/user-delete'],
      ['GET', '/domains', 'Domain.Read.All', 'https://learn.microsoft.com/graph/api/domain-list'],
      ['GET', '/domains/{key}', 'Domain.Read.All', 'https://learn.microsoft.com/graph/api/domain-get'],
    ]);
  });
});
