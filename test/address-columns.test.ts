/**
 * mail and proxyAddresses are kept only when both exports have them (only then does soft match
 * read them), but a proxyAddresses cell Export-Csv wrote as a type name is rejected either way:
 * the rows and rejects do not depend on what the other file has. And with both, the primary SMTP
 * address still soft-matches.
 */
import { G } from './guids';
import { csv, project, reconcileInline } from './helpers';

const ONPREM = csv(`
  UserPrincipalName,ObjectGUID,proxyAddresses
  ann@contoso.com,${G[1].guid},SMTP:ann.smith@contoso.com
  bob@contoso.com,${G[2].guid},System.String[]
`);

test.each([
  ['without addresses', 'id,userPrincipalName,onPremisesImmutableId\nc9,mailbox@contoso.com,\n'],
  ['with a mail column', 'id,userPrincipalName,onPremisesImmutableId,mail\nc9,mailbox@contoso.com,,ann.smith@contoso.com\n'],
])('a System.String[] proxyAddresses cell is rejected when the cloud export is %s', async (_, cloud) => {
  const r = await reconcileInline(ONPREM, cloud);
  expect(r.code).toBe(0);
  expect(project(r.rejects, ['line', 'column', 'value', 'reason'])).toBe(
    csv(`
      line,column,value,reason
      3,proxyAddresses,System.String[],binary-export
    `),
  );
});

test("only with addresses on both sides does ann's primary SMTP address soft-match the cloud mailbox", async () => {
  const columns = ['upn', 'status', 'reason', 'entra_connect', 'match_upn'];
  const without = await reconcileInline(ONPREM, 'id,userPrincipalName,onPremisesImmutableId\nc9,mailbox@contoso.com,\n');
  const withMail = await reconcileInline(ONPREM, 'id,userPrincipalName,onPremisesImmutableId,mail\nc9,mailbox@contoso.com,,ann.smith@contoso.com\n');
  expect(project(without.reconciliation, columns)).toBe(
    csv(`
      upn,status,reason,entra_connect,match_upn
      ann@contoso.com,onprem-only,will-create,create,
      bob@contoso.com,invalid,binary-export,unknown,
      mailbox@contoso.com,cloud-only,unanchored,out-of-scope,
    `),
  );
  expect(project(withMail.reconciliation, columns)).toBe(
    csv(`
      upn,status,reason,entra_connect,match_upn
      ann@contoso.com,onprem-only,will-create,soft-match,mailbox@contoso.com
      bob@contoso.com,invalid,binary-export,unknown,
      mailbox@contoso.com,cloud-only,unanchored,soft-match,
    `),
  );
});

test('an address column is found however its header is written (Proxy Addresses, MAIL), as every column is', async () => {
  const onprem = ONPREM.replace('UserPrincipalName,ObjectGUID,proxyAddresses', 'UserPrincipalName,ObjectGUID,Proxy Addresses');
  const r = await reconcileInline(onprem, 'id,userPrincipalName,onPremisesImmutableId,MAIL\nc9,mailbox@contoso.com,,ann.smith@contoso.com\n');
  expect(project(r.reconciliation, ['upn', 'entra_connect', 'match_upn'])).toBe(
    csv(`
      upn,entra_connect,match_upn
      ann@contoso.com,soft-match,mailbox@contoso.com
      bob@contoso.com,unknown,
      mailbox@contoso.com,soft-match,
    `),
  );
});
