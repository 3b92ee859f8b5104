import { readDomainList } from '../../lib/formats/domains';
import type { LocalTenant } from '../../lib/tenant/server';
import { client, csvFile, graphError, seededUsers, serve, tempDir } from './harness';

describe('GET /domains', () => {
  let tenant: LocalTenant;
  beforeAll(async () => {
    const domains = await readDomainList(
      csvFile(tempDir(), 'domains.csv', 'id,authenticationType,isInitial,isVerified', 'contoso.com,Federated,False,True', 'contoso.onmicrosoft.com,managed,TRUE,true'),
    );
    tenant = await serve({ users: seededUsers(2), domains });
  });
  afterAll(() => tenant.close());

  it('lists the seeded domains with their authentication type', async () => {
    const graph = await client(tenant);
    const page = await graph.api('/domains').get();
    expect(page.value).toEqual([
      { id: 'contoso.com', authenticationType: 'Federated', isInitial: false, isVerified: true },
      { id: 'contoso.onmicrosoft.com', authenticationType: 'Managed', isInitial: true, isVerified: true },
    ]);
  });

  it('gets one domain by name, and 404 for another', async () => {
    const graph = await client(tenant);
    expect(await graph.api('/domains/CONTOSO.COM').get()).toMatchObject({ id: 'contoso.com', authenticationType: 'Federated' });
    expect(await graphError(graph.api('/domains/fabrikam.com').get())).toMatchObject({ statusCode: 404, code: 'Request_ResourceNotFound' });
  });
});

describe('seed files the tenant cannot use', () => {
  it('names the file, line and column of a bad authenticationType', async () => {
    const file = csvFile(tempDir(), 'domains.csv', 'id,authenticationType', 'contoso.com,Managed', 'fabrikam.com,Cloud');
    await expect(readDomainList(file)).rejects.toMatchObject({
      code: 'INPUT_VALUE',
      message: "expected Managed or Federated, got 'Cloud'",
      context: { file, line: 3, column: 'authenticationType' },
    });
  });
});
