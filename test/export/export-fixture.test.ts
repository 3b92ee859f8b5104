import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalTenant } from '../../lib/tenant/server';
import { readCloudUsers } from '../../lib/formats/cloud-users';
import { CLIENT_ID, SECRET, TENANT_ID, makeCertificate, readText, serve, tempDir, written } from '../tenant/harness';
import { runCli } from './run-cli';

const FIXTURE = join(__dirname, '../../fixtures/cloud-users.csv');

describe('idrecon export cloud', () => {
  let tenant: LocalTenant;
  beforeAll(async () => {
    tenant = await serve({ users: await readCloudUsers(FIXTURE) });
  });
  afterAll(() => tenant.close());

  it('gives back the cloud CSV the tenant was seeded from, and its domains', async () => {
    const dir = tempDir();
    const out = join(dir, 'cloud.csv');
    const domains = join(dir, 'domains.csv');
    const args = ['export', 'cloud', '--out', out, '--domains-out', domains, '--tenant-id', TENANT_ID, '--client-id', CLIENT_ID];
    const result = await runCli([...args, '--graph-url', tenant.url, '--login-url', tenant.url, '--page-size', '10'], { IDRECON_CLIENT_SECRET: SECRET });
    expect(result).toEqual({ code: 0, stdout: `exported 31 users in 4 pages (0 retries) to ${out}, 2 domains to ${domains}\nroles: 1 active assignment, 1 eligibility, 2 users with a role\n`, stderr: '' });
    const fixture = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');
    expect(readText(out)).toBe(written(...fixture));
    expect(readText(domains)).toBe(written('id,authenticationType,isInitial,isVerified', 'contoso.com,Managed,False,True', 'contoso.onmicrosoft.com,Managed,True,True'));
  });

  it('reads the secret from the environment variable --client-secret-env names', async () => {
    const out = join(tempDir(), 'cloud.csv');
    const args = ['export', 'cloud', '--out', out, '--tenant-id', TENANT_ID, '--client-id', CLIENT_ID, '--graph-url', tenant.url, '--login-url', tenant.url];
    const result = await runCli([...args, '--client-secret-env', 'MY_APP_SECRET'], { MY_APP_SECRET: SECRET, IDRECON_CLIENT_SECRET: undefined });
    expect(result).toMatchObject({ code: 0, stdout: `exported 31 users in 1 page (0 retries) to ${out}\nroles: 1 active assignment, 1 eligibility, 2 users with a role\n` });
  });

  it('signs in with --certificate, without any secret in the environment', async () => {
    const dir = tempDir();
    const { pem, certificate } = makeCertificate(dir);
    const certTenant = await serve({ users: await readCloudUsers(FIXTURE), app: { tenantId: TENANT_ID, clientId: CLIENT_ID, certificate } });
    try {
      const out = join(dir, 'cloud.csv');
      const args = ['export', 'cloud', '--out', out, '--tenant-id', TENANT_ID, '--client-id', CLIENT_ID, '--certificate', pem];
      const result = await runCli([...args, '--graph-url', certTenant.url, '--login-url', certTenant.url], { IDRECON_CLIENT_SECRET: undefined });
      expect(result).toEqual({ code: 0, stdout: `exported 31 users in 1 page (0 retries) to ${out}\nroles: 1 active assignment, 1 eligibility, 2 users with a role\n`, stderr: '' });
      expect(readText(out)).toBe(written(...readFileSync(FIXTURE, 'utf8').trimEnd().split('\n')));
    } finally {
      await certTenant.close();
    }
  });
});
