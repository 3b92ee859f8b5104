import type { LocalTenant } from '../../lib/tenant/server';
import { client, fastClock, graphError, seededUsers, serve, tempDir, usersFrom } from './harness';

describe('finding one user', () => {
  let tenant: LocalTenant;
  beforeAll(async () => {
    const users = await usersFrom(
      tempDir(),
      'id,userPrincipalName,displayName,onPremisesImmutableId,onPremisesSyncEnabled,mail',
      "11111111-0000-4000-8000-000000000001,o'brien@contoso.com,\"O'Brien, Pat\",IZwrOdRW5lmm/boGGT/Ccw==,,",
      '11111111-0000-4000-8000-000000000002,ann#1@contoso.com,"Ann",,False,ann@contoso.com',
      '11111111-0000-4000-8000-000000000003,tom.turner+4821@contoso.onmicrosoft.com,"Turner, Tom",,,',
    );
    tenant = await serve({ users });
  });
  afterAll(() => tenant.close());

  it("filters on userPrincipalName with a doubled quote, without regard to case", async () => {
    const graph = await client(tenant);
    const page = await graph.api("/users?$filter=userPrincipalName eq 'O''Brien@contoso.com'&$select=id,onPremisesImmutableId").get();
    expect(page.value).toEqual([{ id: '11111111-0000-4000-8000-000000000001', onPremisesImmutableId: 'IZwrOdRW5lmm/boGGT/Ccw==' }]);
  });

  it("keeps '+' in a UPN and needs '#' as %23", async () => {
    const graph = await client(tenant);
    const plus = await graph.api("/users?$filter=userPrincipalName eq 'tom.turner%2B4821@contoso.onmicrosoft.com'").get();
    expect(plus.value.map((u: { id: string }) => u.id)).toEqual(['11111111-0000-4000-8000-000000000003']);
    const hash = await graph.api("/users?$filter=userPrincipalName eq 'ann%231@contoso.com'").get();
    expect(hash.value.map((u: { id: string }) => u.id)).toEqual(['11111111-0000-4000-8000-000000000002']);
  });

  it('gives an empty page when nobody matches, and refuses filters Graph does not support', async () => {
    const graph = await client(tenant);
    expect((await graph.api("/users?$filter=userPrincipalName eq 'nobody@contoso.com'").get()).value).toEqual([]);
    const err = await graphError(graph.api("/users?$filter=displayName gt 'A'").get());
    expect(err).toMatchObject({ statusCode: 400, code: 'Request_UnsupportedQuery', message: 'Unsupported Query.' });
  });

  it('gets a user by id or by UPN, with $select', async () => {
    const graph = await client(tenant);
    const byId = await graph.api('/users/11111111-0000-4000-8000-000000000002').select(['id', 'onPremisesSyncEnabled']).get();
    expect(byId).toMatchObject({ id: '11111111-0000-4000-8000-000000000002', onPremisesSyncEnabled: false });
    const byUpn = await graph.api(`/users/${encodeURIComponent("o'brien@contoso.com")}`).get();
    expect(byUpn).toMatchObject({ id: '11111111-0000-4000-8000-000000000001', displayName: "O'Brien, Pat" });
  });

  it('answers an unknown user with 404 Request_ResourceNotFound', async () => {
    const graph = await client(tenant);
    const err = await graphError(graph.api('/users/nobody@contoso.com').get());
    expect(err).toMatchObject({
      statusCode: 404,
      code: 'Request_ResourceNotFound',
      message: "Resource 'nobody@contoso.com' does not exist or one of its queried reference-property objects are not present.",
    });
  });
});

describe('query options the local tenant does not implement', () => {
  it('refuses them instead of ignoring them', async () => {
    const tenant = await serve({ users: [] });
    try {
      const graph = await client(tenant);
      const err = await graphError(graph.api('/users?$orderby=displayName').get());
      expect(err).toMatchObject({ statusCode: 400, code: 'Request_UnsupportedQuery', message: "Query option '$orderby' is not supported by the local tenant." });
    } finally {
      await tenant.close();
    }
  });
});

describe('deleting a user', () => {
  it('answers 204, after which the user is not found by id or UPN, nor listed', async () => {
    const clock = fastClock();
    const tenant = await serve({ users: seededUsers(5) }, clock);
    try {
      const graph = await client(tenant, clock);
      const id = '00000000-0000-4000-8000-000000000002';
      await graph.api(`/users/${id}`).delete();
      expect(await graphError(graph.api(`/users/${id}`).get())).toMatchObject({ statusCode: 404, code: 'Request_ResourceNotFound' });
      expect(await graphError(graph.api('/users/user2@contoso.com').get())).toMatchObject({ statusCode: 404 });
      const listed = await graph.api('/users?$select=userPrincipalName').get();
      expect(listed.value.map((u: { userPrincipalName: string }) => u.userPrincipalName)).toEqual(['user0@contoso.com', 'user1@contoso.com', 'user3@contoso.com', 'user4@contoso.com']);
    } finally {
      await tenant.close();
    }
  });
});
