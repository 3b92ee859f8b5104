import type { LocalTenant } from '../../lib/tenant/server';
import { CLIENT_ID, TENANT_ID, client, fastClock, graphError, seededUsers, serve } from './harness';

const userId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

describe('POST /$batch', () => {
  let tenant: LocalTenant;
  beforeEach(async () => {
    tenant = await serve({ users: seededUsers(30) });
  });
  afterEach(() => tenant.close());

  it('answers each sub-request with its own status and headers', async () => {
    const graph = await client(tenant);
    const result = await graph.api('/$batch').post({
      requests: [
        { id: '1', method: 'PATCH', url: `/users/${userId(1)}`, body: { onPremisesImmutableId: 'MXiqdGCsbEy88DxCsxC66g==' }, headers: { 'Content-Type': 'application/json' } },
        { id: '2', method: 'GET', url: `/users/${userId(1)}?$select=onPremisesImmutableId` },
        { id: '3', method: 'PATCH', url: `/users/${userId(11)}`, body: { onPremisesImmutableId: 'AVbeuYzHPFWU1InXHzDR5A==' }, headers: { 'Content-Type': 'application/json' } },
        { id: '4', method: 'GET', url: '/users/nobody@contoso.com' },
      ],
    });
    const byId = Object.fromEntries(result.responses.map((r: { id: string }) => [r.id, r]));
    expect(byId['1']).toEqual({ id: '1', status: 204, headers: { 'x-ms-resource-unit': '1' } });
    expect(byId['2']).toMatchObject({ status: 200, headers: { 'Content-Type': 'application/json' }, body: { id: userId(1), onPremisesImmutableId: 'MXiqdGCsbEy88DxCsxC66g==' } });
    expect(byId['3']).toMatchObject({ status: 400, body: { error: { code: 'Request_BadRequest' } } });
    expect(byId['4']).toMatchObject({ status: 404, body: { error: { code: 'Request_ResourceNotFound' } } });
  });

  it('refuses sub-request URLs that repeat the version, as Graph does', async () => {
    const graph = await client(tenant);
    const result = await graph.api('/$batch').post({ requests: [{ id: '1', method: 'GET', url: `/v1.0/users/${userId(1)}` }] });
    expect(result.responses).toEqual([
      expect.objectContaining({
        id: '1',
        status: 400,
        body: { error: expect.objectContaining({ code: 'BadRequest', message: `Invalid request URI '/v1.0/users/${userId(1)}': batch request URLs are relative to the version, for example /users/{id}.` }) },
      }),
    ]);
  });

  it('refuses more than 20 requests and duplicate ids', async () => {
    const graph = await client(tenant);
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: `/users/${userId(i)}` }));
    expect(await graphError(graph.api('/$batch').post({ requests: many }))).toMatchObject({
      statusCode: 400,
      code: 'BadRequest',
      message: 'Number of batch request steps exceeds the maximum of 20.',
    });
    const twice = [
      { id: 'a', method: 'GET', url: `/users/${userId(1)}` },
      { id: 'a', method: 'GET', url: `/users/${userId(2)}` },
    ];
    expect(await graphError(graph.api('/$batch').post({ requests: twice }))).toMatchObject({ statusCode: 400, message: 'Batch request contains duplicate ids.' });
    expect((await graph.api('/$batch').post({ requests: many.slice(0, 20) })).responses).toHaveLength(20);
  });

  it('throttles sub-requests one by one: a 429 with its own Retry-After inside a 200', async () => {
    await tenant.close();
    const clock = fastClock();
    tenant = await serve({ users: seededUsers(30), throttle: { writes: { limit: 3, windowMs: 150_000 } } }, clock);
    const graph = await client(tenant, clock);
    const requests = [1, 2, 3, 4, 5].map((i) => ({
      id: String(i),
      method: 'PATCH',
      url: `/users/${userId(i)}`,
      body: { displayName: `Renamed ${i}` },
      headers: { 'Content-Type': 'application/json' },
    }));
    const result = await graph.api('/$batch').post({ requests });
    const byId = Object.fromEntries(result.responses.map((r: { id: string }) => [r.id, r]));
    expect([1, 2, 3, 4, 5].map((i) => byId[i].status)).toEqual([204, 204, 204, 429, 429]);
    // The bucket refills at 3 per 150 s; the fifth write was sent while the app was throttled, so it counted and waits longer.
    const throttled = (retryAfter: string, percentage: string) => ({
      'Retry-After': retryAfter,
      'x-ms-resource-unit': '1',
      'x-ms-throttle-limit-percentage': percentage,
      'x-ms-throttle-scope': `Tenant_Application/Write/${CLIENT_ID}/${TENANT_ID}`,
      'x-ms-throttle-information': 'WriteLimitExceeded',
      'Content-Type': 'application/json',
    });
    expect(byId['4'].headers).toEqual(throttled('50', '1.0'));
    expect(byId['5'].headers).toEqual(throttled('100', '1.3'));
    expect(clock.slept).toEqual([]);
  });
});
