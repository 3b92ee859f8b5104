import { relativeLink } from '../../lib/graph/client';
import type { LocalTenant } from '../../lib/tenant/server';
import { client, graphError, seededUsers, serve } from './harness';

describe('GET /users pages like Graph', () => {
  let tenant: LocalTenant;
  beforeAll(async () => {
    tenant = await serve({ users: seededUsers(250) });
  });
  afterAll(() => tenant.close());

  it('gives 100 users by default and an absolute nextLink with a skip token', async () => {
    const graph = await client(tenant);
    const page = await graph.api('/users').get();
    expect(page.value).toHaveLength(100);
    expect(page['@odata.nextLink']).toMatch(new RegExp(`^${tenant.url}/v1\\.0/users\\?\\$skiptoken=[A-Za-z0-9_-]+$`));
  });

  it('follows nextLinks through every user exactly once, keeping $select and $top', async () => {
    const graph = await client(tenant);
    let page = await graph.api('/users').select(['id', 'userPrincipalName']).top(999).get();
    expect(page.value).toHaveLength(250);
    expect(page['@odata.nextLink']).toBeUndefined();

    const seen: string[] = [];
    let path: string | undefined = '/users?$select=id,userPrincipalName&$top=60';
    const links: string[] = [];
    while (path) {
      page = await graph.api(path).get();
      seen.push(...page.value.map((u: { userPrincipalName: string }) => u.userPrincipalName));
      const next: string | undefined = page['@odata.nextLink'];
      if (next) links.push(next);
      path = next ? relativeLink(next) : undefined;
    }
    expect(seen).toEqual(seededUsers(250).map((u) => u.userPrincipalName));
    expect(links).toHaveLength(4);
    expect(links[0]).toMatch(/\?\$select=id,userPrincipalName&\$top=60&\$skiptoken=/);
  });

  it('returns onPremisesImmutableId and onPremisesSyncEnabled only when selected', async () => {
    const graph = await client(tenant);
    const plain = await graph.api('/users').top(2).get();
    // Graph's default properties of a user; what the seed does not hold is null (or empty).
    expect(plain.value[1]).toEqual({
      businessPhones: [],
      displayName: 'User, 1',
      givenName: null,
      jobTitle: null,
      mail: 'user1@contoso.com',
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: null,
      surname: null,
      userPrincipalName: 'user1@contoso.com',
      id: '00000000-0000-4000-8000-000000000001',
    });
    const selected = await graph.api('/users').select(['onPremisesImmutableId', 'onPremisesSyncEnabled']).top(1).get();
    expect(selected.value[0]).toEqual({ id: '00000000-0000-4000-8000-000000000000', onPremisesImmutableId: null, onPremisesSyncEnabled: true });
  });

  it.each([['1000'], ['0'], ['abc']])('refuses $top=%s with 400 Request_UnsupportedQuery', async (top) => {
    const graph = await client(tenant);
    const err = await graphError(graph.api(`/users?$top=${top}`).get());
    expect(err).toMatchObject({ statusCode: 400, code: 'Request_UnsupportedQuery', message: `Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.` });
    expect(err.body.innerError['request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts $top=999 and $top=1', async () => {
    const graph = await client(tenant);
    expect((await graph.api('/users?$top=999').get()).value).toHaveLength(250);
    expect((await graph.api('/users?$top=1').get()).value).toHaveLength(1);
  });

  it('refuses an unknown property in $select', async () => {
    const graph = await client(tenant);
    const err = await graphError(graph.api('/users?$select=id,shoeSize').get());
    expect(err).toMatchObject({ statusCode: 400, code: 'Request_BadRequest', message: "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'." });
  });
});
