/**
 * Advanced queries need ConsistencyLevel: eventual and $count=true; $count alone is ignored;
 * /users/$count needs the header and answers text/plain.
 * Page: https://learn.microsoft.com/graph/aad-advanced-queries
 */
import { type Http, error, http, ids } from './http';
import { USERS } from './users';

const EVENTUAL = { ConsistencyLevel: 'eventual' };
const ADVANCED_NE =
  "Operator 'ne' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information";

describe('advanced queries', () => {
  let g: Http;
  beforeAll(async () => {
    g = await http(USERS());
  });
  afterAll(() => g.close());

  it('refuses a filter on onPremisesImmutableId without the advanced query parameters', async () => {
    const plain = await g.get("/v1.0/users?$filter=onPremisesImmutableId%20eq%20'Zm9v%2BYmFy/w=='");
    expect(error(plain)).toEqual({ status: 400, code: 'Request_UnsupportedQuery', message: expect.stringMatching(/^Operator 'eq' is not supported because the required parameters might be missing/) });
    const headerOnly = await g.get("/v1.0/users?$filter=onPremisesImmutableId%20eq%20'Zm9v%2BYmFy/w=='", EVENTUAL);
    expect(headerOnly.status).toBe(400);
  });

  it('answers it with ConsistencyLevel: eventual and $count=true, counting the matches', async () => {
    const found = await g.get("/v1.0/users?$filter=onPremisesImmutableId%20eq%20'Zm9v%2BYmFy/w=='&$count=true&$select=userPrincipalName", EVENTUAL);
    expect(found.status).toBe(200);
    expect(found.body['@odata.count']).toBe(1);
    expect(ids(found)).toEqual(['user0@contoso.com']);
  });

  it('ignores $count=true without the header: no count, no error', async () => {
    const page = await g.get('/v1.0/users?$count=true&$select=id');
    expect(page.status).toBe(200);
    expect(page.body).not.toHaveProperty('@odata.count');
    expect(page.body.value).toHaveLength(6);
  });

  it('answers GET /users/$count as text/plain with the header, and refuses it without', async () => {
    const count = await g.get('/v1.0/users/$count', EVENTUAL);
    expect([count.status, count.headers['content-type'], count.body]).toEqual([200, 'text/plain', '6']);
    expect(error(await g.get('/v1.0/users/$count'))).toEqual({ status: 400, code: 'Request_BadRequest', message: '$count is not currently supported.' });
  });

  it('needs the advanced parameters for ne, not and endsWith, and answers them with', async () => {
    expect(error(await g.get("/v1.0/users?$filter=displayName%20ne%20'Admin'"))).toEqual({ status: 400, code: 'Request_UnsupportedQuery', message: ADVANCED_NE });
    const ne = await g.get("/v1.0/users?$filter=displayName%20ne%20'Admin'&$count=true&$select=userPrincipalName", EVENTUAL);
    expect(ne.body['@odata.count']).toBe(5);
    const ends = await g.get("/v1.0/users?$filter=endsWith(mail,'@fabrikam.com')&$count=true&$select=userPrincipalName", EVENTUAL);
    expect(ids(ends)).toEqual(["o'brien@contoso.com"]);
    expect((await g.get("/v1.0/users?$filter=endsWith(mail,'@fabrikam.com')")).status).toBe(400);
  });
});
