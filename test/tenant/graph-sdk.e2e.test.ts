/**
 * Conformance with Microsoft's own libraries, unmodified: @azure/identity's ClientSecretCredential
 * signs in through the tenant's OpenID discovery document and gets a JWT; the Kiota-based Graph SDK
 * (@microsoft/msgraph-sdk with its users package and core) pages with its PageIterator, gets a user
 * by UPN, PATCHes, rides out throttling and sends a $batch. The libraries are ESM-only, so they run
 * in a child process (test/tenant/sdk/graph-sdk.mjs) against the tenant served over https with a
 * throwaway CA the child trusts through NODE_EXTRA_CA_CERTS. One child per tenant, all scenarios
 * in it: loading the SDK takes seconds.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LocalTenant, TenantOptions } from '../../lib/tenant/server';
import type { CloudUser } from '../../lib/formats/cloud-users';
import { CLIENT_ID, SECRET, TENANT_ID, serve } from './harness';
import { type TestTls, makeTls } from './tls';

const SCRIPT = join(__dirname, 'sdk', 'graph-sdk.mjs');

const user = (i: number, immutableId: string | null, upn = `user${i}@contoso.com`): CloudUser => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  userPrincipalName: upn,
  displayName: `User ${i}`,
  onPremisesImmutableId: immutableId,
  onPremisesSyncEnabled: null,
  mail: null,
});

/** 20 users; user 3's anchor has a '+' and user 5's UPN starts with '$'. */
const USERS = Array.from({ length: 20 }, (_, i) => user(i, i === 3 ? 'ab+cd/ef==' : i % 2 === 0 ? `anchor${i}==` : null, i === 5 ? '$admin5@contoso.com' : undefined));

async function withSdk(tls: TestTls, options: Partial<TenantOptions>, scenarios: unknown[][]): Promise<{ results: any[]; tenant: LocalTenant }> {
  const tenant = await serve({ users: USERS.map((u) => ({ ...u })), tls: { key: tls.key, cert: tls.cert }, ...options });
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT, JSON.stringify(scenarios)], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.caFile, TENANT_URL: tenant.url, TENANT_ID, CLIENT_ID, CLIENT_SECRET: SECRET },
      timeout: 60_000,
    });
    return { results: JSON.parse(stdout.trim().split('\n').at(-1)!), tenant };
  } finally {
    await tenant.close();
  }
}

describe("Microsoft's Graph SDK and @azure/identity against the local tenant", () => {
  let r: Record<string, any>;
  let tenant: LocalTenant;
  let throttled: { results: any[]; tenant: LocalTenant };

  beforeAll(async () => {
    const tls = makeTls();
    const names = ['token', 'page', 'byUpn', 'dollarUpn', 'dollarUpnInParentheses', 'filterPlus', 'patch', 'batch'];
    const run = await withSdk(tls, {}, [
      ['token'],
      ['page'],
      ['byUpn', 'user4@contoso.com'],
      ['byUpn', '$admin5@contoso.com'],
      ['byUpnInParentheses', '$admin5@contoso.com'],
      ['filterPlus', 'ab+cd/ef=='],
      ['patch', USERS[7].id, 'bmV3LWFuY2hvcg=='],
      ['batch', USERS[1].id, 'nobody@contoso.com', USERS[2].id, USERS[9].id],
    ]);
    r = Object.fromEntries(names.map((n, i) => [n, run.results[i]]));
    tenant = run.tenant;
    // 2 units per second: the SDK's retry handler has to wait out Retry-After to get through.
    throttled = await withSdk(tls, { throttle: { resourceUnits: { limit: 2, windowMs: 1_000 } } }, [['throttled', '4']]);
  }, 90_000);

  it('signs in with ClientSecretCredential (OpenID discovery, then the token endpoint) and gets a JWT with the claims Graph checks', () => {
    expect(r.token.claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${TENANT_ID}/`,
      tid: TENANT_ID,
      appid: CLIENT_ID,
      idtyp: 'app',
      roles: ['User.ReadWrite.All', 'Domain.Read.All', 'RoleManagement.Read.Directory', 'RoleEligibilitySchedule.Read.Directory', 'GroupMember.Read.All'],
    });
  });

  it('pages through every user with PageIterator, following the absolute https nextLinks', () => {
    expect(r.page.users).toEqual(USERS.map((u) => [u.userPrincipalName, u.onPremisesImmutableId]));
  });

  it('gets a user by UPN and selects any property of the user resource (accountEnabled: null, not in the seed)', () => {
    expect(r.byUpn).toEqual({ id: USERS[4].id, userPrincipalName: 'user4@contoso.com', onPremisesImmutableId: 'anchor4==', accountEnabled: null });
  });

  it("refuses /users/{upn} for a UPN that starts with '$', as Graph does, and answers /users('{upn}')", () => {
    expect(r.dollarUpn).toEqual({ error: { status: 400, message: "Resource not found for the segment '$admin5@contoso.com'." } });
    expect(r.dollarUpnInParentheses).toEqual({ id: USERS[5].id, userPrincipalName: '$admin5@contoso.com' });
  });

  it("finds an anchor with '+' by an advanced query: the SDK percent-encodes it and sends ConsistencyLevel", () => {
    expect(r.filterPlus).toEqual({ count: 1, users: ['user3@contoso.com'] });
  });

  it('PATCHes a user and reads the change back', () => {
    expect(r.patch).toEqual({ onPremisesImmutableId: 'bmV3LWFuY2hvcg==', jobTitle: 'Rehearsed' });
    expect(tenant.state.find(USERS[7].id)).toMatchObject({ onPremisesImmutableId: 'bmV3LWFuY2hvcg==', extra: { jobTitle: 'Rehearsed' } });
  });

  it('sends a $batch of reads and gets each answer by its id, whatever the order', () => {
    expect(r.batch.answers).toEqual([
      { user: USERS[1].id, status: 200 },
      { user: 'nobody@contoso.com', status: 404 },
      { user: USERS[2].id, status: 200 },
      { user: USERS[9].id, status: 200 },
    ]);
  });

  it("is throttled, and the SDK's retry handler gets through by waiting Retry-After", () => {
    expect(throttled.results[0]).toEqual({ statuses: [200, 200, 200, 200] });
    expect(throttled.tenant.stats.throttled).toBeGreaterThan(0);
  });
});
