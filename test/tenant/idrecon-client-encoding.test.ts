/**
 * idrecon's own Graph client percent-encodes every value it puts in a URL, so characters Graph
 * reads specially ('+' a space in a query, '#' a fragment, '&' and '?' separators, '$' an OData
 * segment) reach Graph as data. Checked through the calls apply makes: the batched fresh read
 * and the PATCH, by UPN.
 */
import { readUsers, patchUser } from '../../lib/apply/users';
import { DEFAULT_RETRY, Tries } from '../../lib/graph/retry';
import type { LocalTenant } from '../../lib/tenant/server';
import { client, fastClock, serve } from './harness';

const ODD = "a+b#c&d?e%f'g@contoso.com";

describe("idrecon's client encodes what it puts in URLs", () => {
  let tenant: LocalTenant;
  afterEach(() => tenant.close());

  it('reads and patches a user whose UPN holds + # & ? % and a quote', async () => {
    tenant = await serve({
      users: [{ id: '00000000-0000-4000-8000-000000000001', userPrincipalName: ODD, displayName: 'Odd', onPremisesImmutableId: 'b2Rk+Lw==', onPremisesSyncEnabled: null, mail: null }],
    });
    const clock = fastClock();
    const graph = await client(tenant, clock);
    const read = await readUsers(graph, [ODD], clock, DEFAULT_RETRY);
    expect(read.get(ODD)).toEqual({ user: { id: '00000000-0000-4000-8000-000000000001', userPrincipalName: ODD, onPremisesImmutableId: 'b2Rk+Lw==', onPremisesSyncEnabled: null } });
    const tries = new Tries();
    expect(await patchUser(graph, ODD, { onPremisesImmutableId: 'bmV3+Lw==' }, tries)).toMatchObject({ ok: true, status: 204 });
    expect(tries.count).toBe(1);
    expect(tenant.state.find(ODD)?.onPremisesImmutableId).toBe('bmV3+Lw==');
  });
});
