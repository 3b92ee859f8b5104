/**
 * Query strings are read as Graph reads them: decoded as an HTML form (a raw '+' is a space, a
 * plus sign is %2B), with or without the '$' before system options.
 * Pages: https://learn.microsoft.com/graph/query-parameters ("Encoding query parameters", "$ prefix")
 */
import { type Http, error, http, ids } from './http';
import { USERS } from './users';

describe('query strings as Graph decodes them', () => {
  let g: Http;
  beforeAll(async () => {
    g = await http(USERS());
  });
  afterAll(() => g.close());

  it("reads a raw '+' as a space: displayName eq 'Ann+Lee' finds Ann Lee", async () => {
    expect(ids(await g.get("/v1.0/users?$filter=displayName+eq+'Ann+Lee'"))).toEqual(['user0@contoso.com']);
  });

  it("needs %2B for a plus sign: a UPN with '+' is found with %2B and missed with a raw '+'", async () => {
    expect(ids(await g.get("/v1.0/users?$filter=userPrincipalName%20eq%20'bob%2Bops@contoso.com'"))).toEqual(['bob+ops@contoso.com']);
    expect(ids(await g.get("/v1.0/users?$filter=userPrincipalName%20eq%20'bob+ops@contoso.com'"))).toEqual([]);
  });

  it('takes a form-encoded filter (spaces as +), as browsers and many scripts send it', async () => {
    expect(ids(await g.get("/v1.0/users?$filter=userPrincipalName+eq+'user4@contoso.com'&$select=userPrincipalName"))).toEqual(['user4@contoso.com']);
  });

  it("honours options without the '$' (select, top), as Graph does on directory resources", async () => {
    const page = await g.get('/v1.0/users?select=id&top=1');
    expect(page.status).toBe(200);
    expect(page.body.value).toEqual([{ id: USERS()[0].id }]);
    expect(page.body['@odata.nextLink']).toMatch(/\$top=1&\$skiptoken=/);
  });

  it('refuses an option it does not implement rather than ignoring it (declared: $orderby, $search, $expand)', async () => {
    expect(error(await g.get('/v1.0/users?$orderby=displayName'))).toEqual({
      status: 400,
      code: 'Request_UnsupportedQuery',
      message: "Query option '$orderby' is not supported by the local tenant.",
    });
  });
});
