/**
 * A user is addressed by id or UPN, without regard to case; a UPN that starts with '$' only as
 * /users('$x@y'), because /users/$x is read as an OData segment.
 * Page: https://learn.microsoft.com/graph/api/user-get ("HTTP request", the note on '$')
 */
import { type Http, error, http } from './http';
import { USERS, uid } from './users';

describe('addressing a user', () => {
  let g: Http;
  beforeAll(async () => {
    g = await http(USERS());
  });
  afterAll(() => g.close());

  it("refuses /users/$svc@contoso.com with 400", async () => {
    expect(error(await g.get('/v1.0/users/$svc@contoso.com'))).toEqual({ status: 400, code: 'BadRequest', message: "Resource not found for the segment '$svc@contoso.com'." });
  });

  it("answers /users('$svc@contoso.com'), and a quote doubled inside it", async () => {
    expect((await g.get("/v1.0/users('$svc@contoso.com')?$select=id")).body).toMatchObject({ id: uid(2) });
    expect((await g.get("/v1.0/users('o''brien@contoso.com')?$select=id")).body).toMatchObject({ id: uid(3) });
  });

  it('finds a user by id or UPN in any case, and a UPN with + in the path as is', async () => {
    expect((await g.get(`/v1.0/users/${uid(4).toUpperCase()}?$select=id`)).body).toMatchObject({ id: uid(4) });
    expect((await g.get('/v1.0/users/USER4@Contoso.com?$select=id')).body).toMatchObject({ id: uid(4) });
    expect((await g.get('/v1.0/users/bob+ops@contoso.com?$select=id')).body).toMatchObject({ id: uid(1) });
  });
});
