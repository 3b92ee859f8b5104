/** Okta's Link header: rel="next" is followed as the opaque URL it is, and only on the org's own address. */
import { nextLink, OktaClient } from '../../lib/okta/client';
import { fastClock } from '../tenant/harness';

test.each([
  ['<https://contoso.okta.com/api/v1/apps/0oa1/users?limit=500>; rel="self"', undefined],
  [
    '<https://contoso.okta.com/api/v1/apps/0oa1/users?limit=500>; rel="self", <https://contoso.okta.com/api/v1/apps/0oa1/users?after=MDB1MQ%3D%3D&limit=500>; rel="next"',
    'https://contoso.okta.com/api/v1/apps/0oa1/users?after=MDB1MQ%3D%3D&limit=500',
  ],
  ['<https://contoso.okta.com/api/v1/apps?after=0oa9,x&limit=200>; rel=next', 'https://contoso.okta.com/api/v1/apps?after=0oa9,x&limit=200'],
  [null, undefined],
])('%s', (header, next) => {
  expect(nextLink(header)).toBe(next);
});

test("a next link on another host is refused, and the token not sent there", async () => {
  const tokens = { header: async () => 'Bearer secret-token', expire: () => false, requests: 0 };
  const client = new OktaClient('https://contoso.okta.com', tokens, fastClock());
  await expect(client.get('app-users', 'https://evil.example.com/api/v1/apps/0oa1/users')).rejects.toMatchObject({
    code: 'OKTA_ERROR',
    message: 'Okta pointed to https://evil.example.com, not the org https://contoso.okta.com; the token is not sent there',
  });
  expect(client.requests).toBe(0);
});
