import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalTenant } from '../../lib/tenant/server';
import { CLIENT_ID, SECRET, TENANT_ID, seededUsers, serve, tempDir } from '../tenant/harness';
import { runCli } from './run-cli';

describe('idrecon export cloud when it cannot finish', () => {
  let tenant: LocalTenant;
  afterEach(() => tenant?.close());

  const exportTo = (dir: string, more: string[] = []) => [
    'export', 'cloud', '--out', join(dir, 'cloud.csv'), '--tenant-id', TENANT_ID, '--client-id', CLIENT_ID, '--graph-url', tenant.url, '--login-url', tenant.url, ...more,
  ];

  it('says sign-in failed, exits 4, never shows the secret and writes nothing', async () => {
    tenant = await serve({ users: seededUsers(5) });
    const dir = tempDir();
    const result = await runCli(exportTo(dir), { IDRECON_CLIENT_SECRET: 'wrong-secret-123' });
    expect(result).toEqual({
      code: 4,
      stdout: '',
      stderr: `idrecon: cannot get a token for app ${CLIENT_ID} in tenant ${TENANT_ID} from ${tenant.url} (invalid_client: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.)\n`,
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is a usage error without any credential', async () => {
    tenant = await serve({ users: seededUsers(5) });
    const result = await runCli(exportTo(tempDir()), { IDRECON_CLIENT_SECRET: undefined });
    expect(result).toMatchObject({
      code: 2,
      stderr: 'idrecon: no credential: set the client secret in the environment variable IDRECON_CLIENT_SECRET, or give --certificate\n',
    });
  });

  it('refuses a page size Graph would refuse', async () => {
    tenant = await serve({ users: seededUsers(5) });
    const result = await runCli(exportTo(tempDir(), ['--page-size', '1000']), { IDRECON_CLIENT_SECRET: SECRET });
    expect(result).toMatchObject({ code: 2, stderr: "idrecon: --page-size: expected 1 to 999, got 1000\n" });
  });

  it('reports the last Graph error once retries run out, and leaves no file behind', async () => {
    tenant = await serve({ users: seededUsers(5), faults: { rate503: 1 } });
    const dir = tempDir();
    const result = await runCli(exportTo(dir, ['--max-retries', '0']), { IDRECON_CLIENT_SECRET: SECRET });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^idrecon: GET \/beta\/roleManagement\/directory\/roleDefinitions failed: 503 serviceNotAvailable: Service unavailable\. \(request-id [0-9a-f-]{36}\)\n$/);
    expect(existsSync(join(dir, 'cloud.csv'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('says each retry on stderr, then the failure', async () => {
    tenant = await serve({ users: seededUsers(5), faults: { rate504: 1 } });
    const result = await runCli(exportTo(tempDir(), ['--max-retries', '1']), { IDRECON_CLIENT_SECRET: SECRET });
    expect(result.code).toBe(4);
    // The 1 s fallback wait is jittered to 50-100% of itself, so parallel clients do not retry in step.
    expect(result.stderr.split('\n')[0]).toMatch(/^idrecon: \/beta\/roleManagement\/directory\/roleDefinitions answered 504; retry 1 of 1 in (0\.[5-9]|1\.0) s$/);
    expect(result.stderr.split('\n')[1]).toMatch(/^idrecon: GET \/beta\/roleManagement\/directory\/roleDefinitions failed: 504 UnknownError: Gateway timeout\. \(request-id [0-9a-f-]{36}\)$/);
  });

  it('names the network failure when connections keep dropping', async () => {
    tenant = await serve({ users: seededUsers(5), faults: { rateDrop: 1, seed: 3 } });
    const dir = tempDir();
    const result = await runCli(exportTo(dir, ['--max-retries', '0']), { IDRECON_CLIENT_SECRET: SECRET });
    expect(result).toMatchObject({ code: 4, stdout: '' });
    expect(result.stderr).toMatch(/^idrecon: GET \/beta\/roleManagement\/directory\/roleDefinitions failed: the connection failed \((UND_ERR_SOCKET|ECONNRESET|other side closed)\) and kept failing after 0 retries\n$/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('idrecon export with another subcommand', () => {
  it('names the ones it knows', async () => {
    const result = await runCli(['export', 'entra', '--out', 'x.csv', '--tenant-id', TENANT_ID, '--client-id', CLIENT_ID], { IDRECON_CLIENT_SECRET: SECRET });
    expect(result).toMatchObject({ code: 2, stderr: "idrecon: <what>: expected 'cloud', 'okta' or 'onprem' (idrecon export cloud), got 'entra'; see idrecon export --help\n" });
  });
});
