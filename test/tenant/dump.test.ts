import { join } from 'node:path';
import type { LocalTenant } from '../../lib/tenant/server';
import { readCloudUsers } from '../../lib/formats/cloud-users';
import { client, readText, serve, tempDir, usersFrom, written } from './harness';

describe('dumping the tenant back to a cloud CSV', () => {
  let tenant: LocalTenant;
  afterEach(() => tenant.close());

  it('writes the seed back unchanged, with the changes made since, in the columns reconcile reads', async () => {
    const dir = tempDir();
    const users = await usersFrom(
      dir,
      'id,userPrincipalName,displayName,onPremisesImmutableId,onPremisesSyncEnabled,mail',
      '5ce774d3-4778-5ced-b9d9-9b96dea3aa71,alice.adams@contoso.com,"Adams, Alice",IZwrOdRW5lmm/boGGT/Ccw==,,alice.adams@contoso.com',
      'fc89aecb-01f8-5eda-b459-7cb174e6fb37,carol.clark@contoso.com,"Clark, Carol",,,carol.clark@contoso.com',
      '5834ed9a-37b9-5db5-a033-1891f88f8c2d,sam.scott@contoso.com,"Scott, Sam",AVbeuYzHPFWU1InXHzDR5A==,True,sam.scott@contoso.com',
      '88c99970-18f4-5e0c-89ee-2179b0dc5376,admin@contoso.onmicrosoft.com,"Núñez, José (admin)",,False,',
    );
    tenant = await serve({ users });
    const graph = await client(tenant);
    await graph.api('/users/carol.clark@contoso.com').patch({ onPremisesImmutableId: 'MXiqdGCsbEy88DxCsxC66g==' });
    await graph.api('/users/alice.adams@contoso.com').patch({ onPremisesImmutableId: null });

    const users2 = join(dir, 'after.csv');
    const domains = join(dir, 'domains.csv');
    await tenant.state.dump(users2, domains);
    expect(readText(users2)).toBe(
      written(
        'id,userPrincipalName,displayName,onPremisesImmutableId,onPremisesSyncEnabled,mail,proxyAddresses,directoryRoles,privilegedRole,onPremisesObjectIdentifier,onPremisesProvisioningErrors',
        '5ce774d3-4778-5ced-b9d9-9b96dea3aa71,alice.adams@contoso.com,"Adams, Alice",,,alice.adams@contoso.com,,,,,',
        'fc89aecb-01f8-5eda-b459-7cb174e6fb37,carol.clark@contoso.com,"Clark, Carol",MXiqdGCsbEy88DxCsxC66g==,,carol.clark@contoso.com,,,,,',
        '5834ed9a-37b9-5db5-a033-1891f88f8c2d,sam.scott@contoso.com,"Scott, Sam",AVbeuYzHPFWU1InXHzDR5A==,True,sam.scott@contoso.com,,,,,',
        '88c99970-18f4-5e0c-89ee-2179b0dc5376,admin@contoso.onmicrosoft.com,"Núñez, José (admin)",,False,,,,,,',
      ),
    );
    expect(readText(domains)).toBe(
      written('id,authenticationType,isInitial,isVerified', 'contoso.com,Managed,False,True', 'contoso.onmicrosoft.com,Managed,True,True'),
    );
  });
});

describe('saving into a folder that does not exist yet', () => {
  it('makes the folder, and guards formula-like cells as every idrecon CSV does', async () => {
    const dir = tempDir();
    const users = await usersFrom(dir, 'id,userPrincipalName,displayName,onPremisesImmutableId', 'c1,jo@contoso.com,"=HYPERLINK(""http://x"")",+9kaGpXmXFWlO8l/IOLgyw==');
    const tenant = await serve({ users });
    try {
      const saved = join(dir, 'saves', 'today', 'tenant.csv');
      await tenant.state.dump(saved, join(dir, 'saves', 'today', 'domains.csv'));
      expect(readText(saved)).toBe(
        written('id,userPrincipalName,displayName,onPremisesImmutableId,onPremisesSyncEnabled,mail,proxyAddresses,directoryRoles,privilegedRole,onPremisesObjectIdentifier,onPremisesProvisioningErrors', 'c1,jo@contoso.com,"=""=HYPERLINK(""""http://x"""")""","=""+9kaGpXmXFWlO8l/IOLgyw==""",,,,,,,'),
      );
      // Read back as a seed, the values are exactly what they were.
      expect((await readCloudUsers(saved))[0]).toMatchObject({ displayName: '=HYPERLINK("http://x")', onPremisesImmutableId: '+9kaGpXmXFWlO8l/IOLgyw==' });
    } finally {
      await tenant.close();
    }
  });
});
