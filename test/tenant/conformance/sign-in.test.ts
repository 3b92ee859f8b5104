/**
 * What Microsoft's libraries ask for before they get a token: the tenant's OpenID configuration,
 * its signing keys and the instance discovery document; and the access token is a JWT, signed
 * with a key published at jwks_uri, with the claims Graph checks.
 * Pages: https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc ("Fetch the OpenID configuration document"),
 * https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference
 */
import { createPublicKey, verify } from 'node:crypto';
import { CLIENT_ID, TENANT_ID } from '../harness';
import { type Http, http, raw, token } from './http';
import { USERS } from './users';

describe('sign-in documents and tokens', () => {
  let g: Http;
  beforeAll(async () => {
    g = await http(USERS());
  });
  afterAll(() => g.close());

  it("serves the tenant's OpenID configuration, naming its token endpoint and keys", async () => {
    const doc = await raw(g.tenant, 'GET', `/${TENANT_ID}/v2.0/.well-known/openid-configuration`);
    expect(doc.body).toMatchObject({
      token_endpoint: `${g.tenant.url}/${TENANT_ID}/oauth2/v2.0/token`,
      jwks_uri: `${g.tenant.url}/${TENANT_ID}/discovery/v2.0/keys`,
      issuer: `${g.tenant.url}/${TENANT_ID}/v2.0`,
      authorization_endpoint: `${g.tenant.url}/${TENANT_ID}/oauth2/v2.0/authorize`,
    });
    expect((await raw(g.tenant, 'GET', '/another-tenant/v2.0/.well-known/openid-configuration')).status).toBe(400);
  });

  it('serves instance discovery naming the tenant host as its own cloud', async () => {
    const host = new URL(g.tenant.url).host;
    const doc = await raw(g.tenant, 'GET', `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${g.tenant.url}/${TENANT_ID}/oauth2/v2.0/authorize`)}`);
    expect(doc.body).toEqual({
      tenant_discovery_endpoint: `${g.tenant.url}/${TENANT_ID}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });

  it('issues RS256 JWTs that verify with the published key and carry aud, iss, tid, appid and roles', async () => {
    const jwt = await token(g.tenant);
    const [head, payload, signature] = jwt.split('.');
    const header = JSON.parse(Buffer.from(head, 'base64url').toString());
    const keys = (await raw(g.tenant, 'GET', `/${TENANT_ID}/discovery/v2.0/keys`)).body.keys;
    const key = keys.find((k: { kid: string }) => k.kid === header.kid);
    expect(header.alg).toBe('RS256');
    expect(verify('sha256', Buffer.from(`${head}.${payload}`), createPublicKey({ key, format: 'jwk' }), Buffer.from(signature, 'base64url'))).toBe(true);
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${TENANT_ID}/`,
      tid: TENANT_ID,
      appid: CLIENT_ID,
      roles: ['User.ReadWrite.All', 'Domain.Read.All', 'RoleManagement.Read.Directory', 'RoleEligibilitySchedule.Read.Directory', 'GroupMember.Read.All'],
    });
  });
});
