/**
 * Every property of the user resource may be selected (answered from the seed, or null / [] where
 * the seed has nothing); unknown ones are refused; PATCH takes @odata.type and writable properties.
 * Pages: https://learn.microsoft.com/graph/api/resources/user (properties, from microsoftgraph/msgraph-metadata
 * schemas/v1.0-Prod.csdl), https://learn.microsoft.com/graph/api/user-update
 */
import { USER_PROPERTIES } from '../../../lib/tenant/user-properties';
import { type Http, error, http } from './http';
import { USERS, uid } from './users';

describe('$select and PATCH over the whole user resource', () => {
  let g: Http;
  beforeAll(async () => {
    g = await http(USERS());
  });
  afterAll(() => g.close());

  it(`accepts all ${USER_PROPERTIES.length} properties of the user resource in $select`, async () => {
    const names = USER_PROPERTIES.map(([n]) => n);
    const answer = await g.get(`/v1.0/users/${uid(0)}?$select=${names.join(',')}`);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).filter((k) => !k.startsWith('@'))).toEqual(names);
    expect(answer.body).toMatchObject({ accountEnabled: null, proxyAddresses: [], onPremisesImmutableId: 'Zm9v+YmFy/w==', onPremisesSyncEnabled: true, businessPhones: [] });
  });

  it('refuses a property the resource does not have', async () => {
    expect(error(await g.get(`/v1.0/users?$select=id,favouriteColour`))).toEqual({
      status: 400,
      code: 'Request_BadRequest',
      message: "Could not find a property named 'favouriteColour' on type 'microsoft.graph.user'.",
    });
  });

  it('takes @odata.type and other writable properties in a PATCH, and answers them back', async () => {
    const patch = await g.patch(`/v1.0/users/${uid(3)}`, { '@odata.type': '#microsoft.graph.user', accountEnabled: false, jobTitle: 'Engineer' });
    expect(patch.status).toBe(204);
    expect((await g.get(`/v1.0/users/${uid(3)}?$select=accountEnabled,jobTitle`)).body).toMatchObject({ accountEnabled: false, jobTitle: 'Engineer' });
  });

  it('refuses a read-only property, and a value of the wrong type', async () => {
    expect(error(await g.patch(`/v1.0/users/${uid(3)}`, { createdDateTime: '2020-01-01T00:00:00Z' }))).toEqual({
      status: 400,
      code: 'Request_BadRequest',
      message: "Property 'createdDateTime' is read-only or does not exist on type 'microsoft.graph.user'.",
    });
    expect(error(await g.patch(`/v1.0/users/${uid(3)}`, { accountEnabled: 'no' }))).toMatchObject({ status: 400, message: "Invalid value specified for property 'accountEnabled' of resource 'User'." });
  });
});
