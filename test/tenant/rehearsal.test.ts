import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalTenant } from '../../lib/tenant/server';
import { readCloudUsers } from '../../lib/formats/cloud-users';
import { runCli } from '../export/run-cli';
import { client, serve, tempDir } from './harness';

const ROOT = join(__dirname, '../..');

describe('a rehearsal, start to finish', () => {
  let tenant: LocalTenant;
  afterEach(() => tenant.close());

  it('seeds the tenant from the fixture export, changes it, and the dump reconciles again', async () => {
    tenant = await serve({ users: await readCloudUsers(join(ROOT, 'fixtures/cloud-users.csv')) });
    const graph = await client(tenant);
    // carol.clark has no ImmutableID in the fixture: give her the one her objectGUID 5b55c726-... derives.
    await graph.api('/users/carol.clark@contoso.com').patch({ onPremisesImmutableId: 'JsdVWzXHKFyXgOBuTtCPew==' });
    const dir = tempDir();
    const cloud = join(dir, 'cloud-after.csv');
    await tenant.state.dump(cloud);

    const result = await runCli(['reconcile', '--onprem', join(ROOT, 'fixtures/onprem-users.csv'), '--cloud', cloud, '--out', join(dir, 'out')]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.inputs.cloud).toMatchObject({ rows: 31, blank_rows: 0 });
    const carol = readFileSync(join(dir, 'out', 'reconciliation.csv'), 'utf8').split('\r\n').find((l) => l.includes('carol.clark@contoso.com'));
    // Before the change she was 'missing' (no ImmutableID in the cloud); now Entra Connect will hard-match her.
    expect(carol?.split(',').slice(0, 8)).toEqual(['carol.clark@contoso.com', 'match', '', 'hard-match', '', '', 'JsdVWzXHKFyXgOBuTtCPew==', 'JsdVWzXHKFyXgOBuTtCPew==']);
  });
});
