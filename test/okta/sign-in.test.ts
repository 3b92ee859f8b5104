/** Signing in as the API Services app: what the org refuses, and how idrecon says it. */
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSERTION_TYPE, clientAssertion, oktaTokens } from '../../lib/okta/auth';
import { OktaClient } from '../../lib/okta/client';
import { exportOkta } from '../../lib/okta/export';
import type { LocalOrg } from './org';
import { fastClock, tempDir } from '../tenant/harness';
import { runCli } from '../export/run-cli';
import { CLIENT_ID, O365_APP, keyPair, seededUsers, serveOrg, writeKey } from './harness';

const USERS = seededUsers(30);

let org: LocalOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

const tokenRequest = (local: LocalOrg, assertion: string) =>
  fetch(`${local.url}/oauth2/v1/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'okta.apps.read', client_assertion_type: ASSERTION_TYPE, client_assertion: assertion }),
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

describe('the token endpoint of the local org', () => {
  it('grants a token for a well-formed assertion, once per jti', async () => {
    const clock = fastClock();
    const local = (org = await serveOrg(USERS, clock));
    const assertion = clientAssertion(CLIENT_ID, `${local.url}/oauth2/v1/token`, keyPair().privateKey, undefined, clock.now());
    const first = await tokenRequest(local, assertion);
    expect(first).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 3600, scope: 'okta.apps.read' } });
    expect(await tokenRequest(local, assertion)).toEqual({ status: 401, body: { error: 'invalid_client', error_description: "The client_assertion token's jti claim has already been used." } });
  });

  it('refuses an assertion for another audience', async () => {
    const clock = fastClock();
    const local = (org = await serveOrg(USERS, clock));
    const assertion = clientAssertion(CLIENT_ID, `${local.url}/oauth2/default/v1/token`, keyPair().privateKey, undefined, clock.now());
    expect(await tokenRequest(local, assertion)).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'The audience claim for client_assertion must be the endpoint invoked for the request.' },
    });
  });
});

describe('idrecon export okta signing in', () => {
  const args = (local: LocalOrg, dir: string, key: string, ...more: string[]) => [
    'export', 'okta', '--org-url', local.url, '--app-id', O365_APP, '--out', join(dir, 'okta.csv'), '--client-id', CLIENT_ID, '--private-key', key, ...more,
  ];

  it('is refused with a key the app does not have, and writes nothing', async () => {
    const local = (org = await serveOrg(USERS, fastClock()));
    const dir = tempDir();
    const other = writeKey(dir, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, 'other.pem');
    const r = await runCli(args(local, dir, other));
    expect(r).toEqual({
      code: 4,
      stdout: '',
      stderr:
        `idrecon: Okta refused a token for app ${CLIENT_ID} at ${local.url} (invalid_client: The client_assertion signature is invalid.); ` +
        'check the client id, the key and that the app is an API Services app using public key / private key authentication (docs/export.md#okta)\n',
    });
    expect(readdirSync(dir)).toEqual(['other.pem']);
  });

  it('is refused when the assertion has expired by the org\'s clock (a clock ten minutes slow)', async () => {
    const orgClock = fastClock();
    const local = (org = await serveOrg(USERS, orgClock));
    const slow = fastClock();
    await slow.sleep(-600_000);
    const dir = tempDir();
    await expect(
      exportOkta({ orgUrl: local.url, credentials: { kind: 'private-key', clientId: CLIENT_ID, keyFile: writeKey(dir) }, appIds: [O365_APP], adAppIds: [], appLinks: false, out: join(dir, 'okta.csv'), concurrency: 1 }, slow),
    ).rejects.toMatchObject({ code: 'AUTH_FAILED', message: `Okta refused a token for app ${CLIENT_ID} at ${local.url} (invalid_client: The client_assertion token is expired.); check this machine's clock: the assertion is valid for five minutes from its iat` });
  });

  it('says which scope to grant when the app lacks okta.users.read for --app-links', async () => {
    const clock = fastClock();
    const local = (org = await serveOrg(USERS, clock, { service: { clientId: CLIENT_ID, publicKey: keyPair().publicKey, scopes: ['okta.apps.read'], adminRole: true } }));
    const dir = tempDir();
    const r = await runCli(args(local, dir, writeKey(dir), '--app-links'));
    expect(r).toEqual({
      code: 4,
      stdout: '',
      stderr:
        `idrecon: Okta refused a token for app ${CLIENT_ID} at ${local.url} (invalid_scope: The following scopes are not allowed: okta.users.read.); ` +
        'grant the app the scopes okta.apps.read and okta.users.read (Okta API Scopes tab of the app)\n',
    });
  });

  it('names the missing scope when a token without it reaches the API', async () => {
    const clock = fastClock();
    const local = (org = await serveOrg(USERS, clock));
    const dir = tempDir();
    const tokens = await oktaTokens(local.url, { kind: 'private-key', clientId: CLIENT_ID, keyFile: writeKey(dir) }, ['okta.apps.read'], clock);
    const client = new OktaClient(local.url, tokens, clock);
    await expect(client.get('app-links', `${local.url}/api/v1/users/${USERS[0].id}/appLinks`)).rejects.toMatchObject({
      code: 'OKTA_ERROR',
      message: `GET /api/v1/users/${USERS[0].id}/appLinks failed: 403 insufficient_scope: the access token lacks the scope okta.users.read; grant it to the app (Okta API Scopes tab) and run again`,
    });
  });

  it('says the app needs an admin role when it has none', async () => {
    const local = (org = await serveOrg(USERS, fastClock(), { service: { clientId: CLIENT_ID, publicKey: keyPair().publicKey, scopes: ['okta.apps.read'], adminRole: false } }));
    const dir = tempDir();
    const r = await runCli(args(local, dir, writeKey(dir), '--ad-app-id', '0oaadcontoso0000001'));
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /^idrecon: GET \/api\/v1\/apps\/0oaadcontoso0000001\/users failed: 403 E0000006: You do not have permission to perform the requested action \(errorId oae[0-9a-f]{16}\); the app needs the Read-only Administrator role \(Admin roles tab of the app\)\n$/,
    );
  });

  it('falls back to an SSWS token from the environment, and never prints it', async () => {
    const token = '00SSWS-local-test-token-do-not-print';
    const local = (org = await serveOrg(USERS, fastClock(), { apiToken: token }));
    const dir = tempDir();
    const out = join(dir, 'okta.csv');
    const r = await runCli(['export', 'okta', '--org-url', local.url, '--app-id', O365_APP, '--out', out], { IDRECON_OKTA_API_TOKEN: token });
    expect(r).toEqual({
      code: 0,
      stdout: `exported 30 Okta app users of 1 Office 365 app to ${out} (4 requests, 0 retries; AD apps 0oaadcontoso0000001, 0oaadfabrikam000001; 1 user is in more than one AD instance (note column))\n`,
      stderr: '',
    });
    const wrong = await runCli(['export', 'okta', '--org-url', local.url, '--app-id', O365_APP, '--out', out], { IDRECON_OKTA_API_TOKEN: 'not-the-token' });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toMatch(/^idrecon: GET \/api\/v1\/apps failed: 401 E0000011: Invalid token provided \(errorId oae[0-9a-f]{16}\); the token was refused: check the credentials\n$/);
    expect(wrong.stderr).not.toContain('not-the-token');
  });

  it('reads the key from a JWK file, as Okta\'s admin console gives it', async () => {
    const clock = fastClock();
    const local = (org = await serveOrg(USERS, clock));
    const dir = tempDir();
    const jwk = join(dir, 'key.json');
    writeFileSync(jwk, JSON.stringify({ ...keyPair().privateKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig' }));
    const r = await runCli(args(local, dir, jwk, '--ad-app-id', '0oaadcontoso0000001'));
    expect(r.code).toBe(0);
  });
});
