/**
 * The filters admins use on users work as Graph answers them by default: eq on UPN, mail and
 * onPremisesSyncEnabled, startsWith, in, and/or; unknown properties are refused.
 * Pages: https://learn.microsoft.com/graph/api/user-list, https://learn.microsoft.com/graph/filter-query-parameter,
 * https://learn.microsoft.com/graph/api/resources/user ("Supports $filter")
 */
import { type Http, error, http, ids } from './http';
import { USERS } from './users';

const q = (filter: string) => `/v1.0/users?$select=userPrincipalName&$filter=${encodeURIComponent(filter)}`;

describe('$filter on users', () => {
  let g: Http;
  beforeAll(async () => {
    g = await http(USERS());
  });
  afterAll(() => g.close());

  it('startsWith, without regard to case', async () => {
    expect(ids(await g.get(q("startswith(displayName,'pat')")))).toEqual(["o'brien@contoso.com"]);
  });

  it("in, and a quote doubled inside a value", async () => {
    expect(ids(await g.get(q("userPrincipalName in ('user4@contoso.com','o''brien@contoso.com')")))).toEqual(["o'brien@contoso.com", 'user4@contoso.com']);
  });

  it('mail eq', async () => {
    expect(ids(await g.get(q("mail eq 'BOB@contoso.com'")))).toEqual(['bob+ops@contoso.com']);
  });

  it('onPremisesSyncEnabled eq true and eq false (true synced, false once synced)', async () => {
    expect(ids(await g.get(q('onPremisesSyncEnabled eq true')))).toEqual(['user0@contoso.com']);
    expect(ids(await g.get(q('onPremisesSyncEnabled eq false')))).toEqual(['bob+ops@contoso.com']);
  });

  it('eq on a property a PATCH wrote (jobTitle)', async () => {
    expect((await g.patch('/v1.0/users/user4@contoso.com', { jobTitle: 'Engineer' })).status).toBe(204);
    expect(ids(await g.get(q("jobTitle eq 'engineer'")))).toEqual(['user4@contoso.com']);
  });

  it('and / or', async () => {
    expect(ids(await g.get(q("startswith(userPrincipalName,'user') and displayName eq 'Admin' or mail eq 'ann@contoso.com'")))).toEqual(['user0@contoso.com', 'user4@contoso.com']);
  });

  it('refuses a property the user resource does not have, in Graph\'s words', async () => {
    expect(error(await g.get(q("colour eq 'red'")))).toEqual({ status: 400, code: 'Request_BadRequest', message: "Could not find a property named 'colour' on type 'microsoft.graph.user'." });
  });
});
