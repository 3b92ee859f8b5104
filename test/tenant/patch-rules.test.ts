import { readDomainList } from '../../lib/formats/domains';
import type { LocalTenant } from '../../lib/tenant/server';
import { client, csvFile, graphError, serve, tempDir, usersFrom } from './harness';

const HEADER = 'id,userPrincipalName,displayName,onPremisesImmutableId,onPremisesSyncEnabled,mail';

describe('PATCH /users/{id} follows Graph rules', () => {
  let tenant: LocalTenant;
  beforeEach(async () => {
    const dir = tempDir();
    const users = await usersFrom(
      dir,
      HEADER,
      'a0000000-0000-4000-8000-000000000001,alice@contoso.com,"Adams, Alice",,,alice@contoso.com',
      'a0000000-0000-4000-8000-000000000002,bob@contoso.com,"Baker, Bob",JRlOlaVORFOZxkAhHc40OA==,,',
      'a0000000-0000-4000-8000-000000000003,sam@contoso.com,"Scott, Sam",AVbeuYzHPFWU1InXHzDR5A==,True,',
      'a0000000-0000-4000-8000-000000000004,fay@fabrikam.com,"Fox, Fay",,,',
    );
    const domains = await readDomainList(
      csvFile(
        dir,
        'domains.csv',
        'id,authenticationType,isInitial,isVerified',
        'contoso.com,Managed,False,True',
        'fabrikam.com,Federated,False,True',
        'contoso.onmicrosoft.com,Managed,True,True',
        'pending.example,Managed,False,False',
      ),
    );
    tenant = await serve({ users, domains });
  });
  afterEach(() => tenant.close());

  const user = (id: string) => tenant.state.find(id)!;

  it('sets an ImmutableID with 204 No Content and clears it with null', async () => {
    const graph = await client(tenant);
    expect(await graph.api('/users/alice@contoso.com').patch({ onPremisesImmutableId: 'IZwrOdRW5lmm/boGGT/Ccw==' })).toBeUndefined();
    expect(user('alice@contoso.com').onPremisesImmutableId).toBe('IZwrOdRW5lmm/boGGT/Ccw==');
    await graph.api('/users/a0000000-0000-4000-8000-000000000001').patch({ onPremisesImmutableId: null });
    expect(user('alice@contoso.com').onPremisesImmutableId).toBeNull();
  });

  it('refuses any write to a synced user', async () => {
    const graph = await client(tenant);
    const err = await graphError(graph.api('/users/sam@contoso.com').patch({ onPremisesImmutableId: 'x7FnE+BC9VW/QCi/w2Ex/w==' }));
    expect(err).toMatchObject({
      statusCode: 400,
      code: 'Request_BadRequest',
      message: 'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.',
    });
    expect(user('sam@contoso.com').onPremisesImmutableId).toBe('AVbeuYzHPFWU1InXHzDR5A==');
  });

  it('refuses an ImmutableID for a user in a federated domain', async () => {
    const graph = await client(tenant);
    const err = await graphError(graph.api('/users/fay@fabrikam.com').patch({ onPremisesImmutableId: 'x7FnE+BC9VW/QCi/w2Ex/w==' }));
    expect(err).toMatchObject({ statusCode: 400, code: 'Request_BadRequest' });
    expect(err.message).toMatch(/federated domain/);
    expect(user('fay@fabrikam.com').onPremisesImmutableId).toBeNull();
  });

  it('allows it when the same PATCH moves the UPN to a managed domain, then the UPN can move back', async () => {
    const graph = await client(tenant);
    await graph.api('/users/fay@fabrikam.com').patch({ userPrincipalName: 'fay@contoso.onmicrosoft.com', onPremisesImmutableId: 'x7FnE+BC9VW/QCi/w2Ex/w==' });
    await graph.api('/users/fay@contoso.onmicrosoft.com').patch({ userPrincipalName: 'fay@fabrikam.com' });
    expect(user('a0000000-0000-4000-8000-000000000004')).toMatchObject({ userPrincipalName: 'fay@fabrikam.com', onPremisesImmutableId: 'x7FnE+BC9VW/QCi/w2Ex/w==' });
  });

  it("allows it from a managed staging UPN in the PATCH that moves the UPN back (Microsoft's example)", async () => {
    const graph = await client(tenant);
    await graph.api('/users/fay@fabrikam.com').patch({ userPrincipalName: 'fay@contoso.onmicrosoft.com' });
    await graph.api('/users/fay@contoso.onmicrosoft.com').patch({ onPremisesImmutableId: 'x7FnE+BC9VW/QCi/w2Ex/w==', userPrincipalName: 'fay@fabrikam.com' });
    expect(user('a0000000-0000-4000-8000-000000000004')).toMatchObject({ userPrincipalName: 'fay@fabrikam.com', onPremisesImmutableId: 'x7FnE+BC9VW/QCi/w2Ex/w==' });
  });

  it('refuses a UPN that is taken, with ObjectConflict on userPrincipalName', async () => {
    const graph = await client(tenant);
    const err = await graphError(graph.api('/users/alice@contoso.com').patch({ userPrincipalName: 'BOB@contoso.com' }));
    expect(err).toMatchObject({ statusCode: 400, code: 'Request_BadRequest', message: 'Another object with the same value for property userPrincipalName already exists.' });
    expect(err.body.details).toEqual([
      { code: 'ObjectConflict', message: 'Another object with the same value for property userPrincipalName already exists.', target: 'userPrincipalName' },
    ]);
  });

  it('refuses an ImmutableID another user has, with ObjectConflict on onPremisesImmutableId', async () => {
    const graph = await client(tenant);
    const err = await graphError(graph.api('/users/alice@contoso.com').patch({ onPremisesImmutableId: 'JRlOlaVORFOZxkAhHc40OA==' }));
    expect(err.body.details).toEqual([
      { code: 'ObjectConflict', message: 'Another object with the same value for property onPremisesImmutableId already exists.', target: 'onPremisesImmutableId' },
    ]);
  });

  it.each([['unknown.example'], ['pending.example']])('refuses a UPN in a domain that is not verified (%s)', async (domain) => {
    const graph = await client(tenant);
    const err = await graphError(graph.api('/users/alice@contoso.com').patch({ userPrincipalName: `alice@${domain}` }));
    expect(err).toMatchObject({
      statusCode: 400,
      message: 'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
    });
  });

  it.each([['abc$def'], ['abc_def'], ['']])("refuses the ImmutableID '%s'", async (value) => {
    const graph = await client(tenant);
    const err = await graphError(graph.api('/users/alice@contoso.com').patch({ onPremisesImmutableId: value }));
    expect(err).toMatchObject({ statusCode: 400, code: 'Request_BadRequest', message: "Invalid value specified for property 'onPremisesImmutableId' of resource 'User'." });
  });

  it('answers 404 for a user that does not exist', async () => {
    const graph = await client(tenant);
    const err = await graphError(graph.api('/users/b0000000-0000-4000-8000-000000000009').patch({ displayName: 'X' }));
    expect(err).toMatchObject({ statusCode: 404, code: 'Request_ResourceNotFound' });
  });
});
