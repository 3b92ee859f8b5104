import { msalTokens } from '../../lib/graph/auth';
import type { LocalTenant } from '../../lib/tenant/server';
import { CLIENT_ID, SECRET, TENANT_ID, client, credentials, fastClock, graphError, makeCertificate, seededUsers, serve, tempDir } from './harness';

describe('signing in to the local tenant with MSAL', () => {
  let tenant: LocalTenant;
  afterEach(() => tenant.close());

  it('issues a token for the app secret that Graph then accepts', async () => {
    tenant = await serve({ users: seededUsers(3) });
    const graph = await client(tenant);
    expect((await graph.api('/users').get()).value).toHaveLength(3);
  });

  it("reuses MSAL's cached token instead of signing in for every request", async () => {
    tenant = await serve({ users: seededUsers(3) });
    const graph = await client(tenant);
    for (let i = 0; i < 5; i++) await graph.api('/users').get();
    expect(tenant.stats).toMatchObject({ tokens: 1, requests: 5 });
  });

  it('refuses a wrong secret with AADSTS7000215, and never repeats the secret', async () => {
    tenant = await serve({ users: seededUsers(3) });
    const tokens = await msalTokens(credentials(tenant, { clientSecret: 'not-the-secret' }));
    const err = await tokens.token().catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'AUTH_FAILED',
      message: `cannot get a token for app ${CLIENT_ID} in tenant ${TENANT_ID} from ${tenant.url} (invalid_client: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.)`,
    });
    expect(String((err as Error).message)).not.toContain('not-the-secret');
  });

  it('refuses an unknown app and an unknown tenant', async () => {
    tenant = await serve({ users: seededUsers(3) });
    const app = await msalTokens(credentials(tenant, { clientId: 'ffffffff-0000-4000-8000-000000000000' }));
    expect(await app.token().catch((e: Error) => e.message)).toContain(
      `unauthorized_client: AADSTS700016: Application with identifier 'ffffffff-0000-4000-8000-000000000000' was not found in the directory '${TENANT_ID}'.`,
    );
    const other = await msalTokens(credentials(tenant, { tenantId: 'contoso.onmicrosoft.com' }));
    expect(await other.token().catch((e: Error) => e.message)).toContain("invalid_request: AADSTS90002: Tenant 'contoso.onmicrosoft.com' not found.");
  });

  it('accepts a certificate assertion signed by the registered certificate', async () => {
    const dir = tempDir();
    const { pem, certificate } = makeCertificate(dir);
    tenant = await serve({ users: seededUsers(3), app: { tenantId: TENANT_ID, clientId: CLIENT_ID, certificate } });
    const graph = await client(tenant, undefined, { credentials: { clientSecret: undefined, certificateFile: pem } });
    expect((await graph.api('/users').get()).value).toHaveLength(3);
  });

  it('refuses an assertion signed by another certificate', async () => {
    const dir = tempDir();
    const registered = makeCertificate(dir, 'registered');
    const other = makeCertificate(dir, 'other');
    tenant = await serve({ users: seededUsers(3), app: { tenantId: TENANT_ID, clientId: CLIENT_ID, secret: SECRET, certificate: registered.certificate } });
    const tokens = await msalTokens(credentials(tenant, { clientSecret: undefined, certificateFile: other.pem }));
    expect(await tokens.token().catch((e: Error) => e.message)).toContain(
      'invalid_client: AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application.',
    );
  });

  it('answers Graph calls without a token, or with a forged or expired one, with 401 InvalidAuthenticationToken', async () => {
    const clock = fastClock();
    tenant = await serve({ users: seededUsers(3) }, clock);
    const call = (authorization?: string) =>
      fetch(`${tenant.url}/v1.0/users`, { headers: authorization ? { Authorization: authorization } : {} }).then(async (r) => [r.status, ((await r.json()) as { error: { message: string } }).error.message]);
    expect(await call()).toEqual([401, 'Access token is empty.']);
    expect(await call('Bearer eyJhbGciOiJSUzI1NiJ9.eyJmb3JnZWQiOnRydWV9.c2lnbmF0dXJl')).toEqual([401, 'Access token validation failure.']);

    const graph = await client(tenant, clock);
    await graph.api('/users').get();
    await clock.sleep(3_600_000);
    expect(await graphError(graph.api('/users').get())).toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' });
  });
});
