/**
 * The cloud object id is kept as its 16 bytes when it is a lower-case display-form GUID (as Graph
 * writes every one) and as text otherwise; either way reconciliation.csv gives it back as the
 * cell read, trimmed: upper case stays upper case, braces stay, and a cell that is no GUID, or
 * nearly one, is written as it was.
 */
import { G } from './guids';
import { csv, reconcileInline } from './helpers';

const ONPREM = csv(`
  UserPrincipalName,ObjectGUID
  ann@contoso.com,${G[1].guid}
  bob@contoso.com,${G[2].guid}
`);

const CLOUD = [
  'id,userPrincipalName,onPremisesImmutableId',
  `${G[3].guid},ann@contoso.com,${G[1].id}`,
  `NOT-A-GUID,bob@contoso.com,${G[2].id}`,
  `${G.stranger.guid},lower@contoso.com,`,
  `${G.stranger.guid.toUpperCase()},upper@contoso.com,`,
  `FEDCBA98-7654-3210-fedc-ba9876543210,mixed@contoso.com,`,
  `{${G[4].guid}},braced@contoso.com,`,
  `  ${G[5].guid} ,spaced@contoso.com,`,
  `"${G[6].guid}",quoted@contoso.com,`,
  `,empty@contoso.com,`,
  `g0203040-0000-4000-8000-000000000001,nearly@contoso.com,`,
  `10203040+0000-4000-8000-000000000001,dashless@contoso.com,`,
  `10203040-0000-4000-8000-0000000000012,longer@contoso.com,`,
  `=1+1,formula@contoso.com,`,
].join('\n');

/** As the build before object ids were kept as bytes wrote it. */
const EXPECTED = csv(
  `
  upn,status,reason,entra_connect,entra_connect_reason,match_upn,expected_immutable_id,cloud_immutable_id,anchor_attribute,object_guid,consistency_guid,cloud_upn,cloud_object_id,cloud_sync_enabled,cloud_roles,cloud_privileged_role,related_upn,onprem_line,cloud_line
  ann@contoso.com,match,,hard-match,,,QDAgEAAAAECAAAAAAAAAAQ==,QDAgEAAAAECAAAAAAAAAAQ==,objectGUID,10203040-0000-4000-8000-000000000001,,ann@contoso.com,306090c0-0000-4000-8000-000000000003,,,,,2,2
  bob@contoso.com,match,,hard-match,,,gGBAIAAAAECAAAAAAAAAAg==,gGBAIAAAAECAAAAAAAAAAg==,objectGUID,20406080-0000-4000-8000-000000000002,,bob@contoso.com,NOT-A-GUID,,,,,3,3
  lower@contoso.com,cloud-only,unanchored,out-of-scope,,,,,,,,lower@contoso.com,fedcba98-7654-3210-fedc-ba9876543210,,,,,,4
  upper@contoso.com,cloud-only,unanchored,out-of-scope,,,,,,,,upper@contoso.com,FEDCBA98-7654-3210-FEDC-BA9876543210,,,,,,5
  mixed@contoso.com,cloud-only,unanchored,out-of-scope,,,,,,,,mixed@contoso.com,FEDCBA98-7654-3210-fedc-ba9876543210,,,,,,6
  braced@contoso.com,cloud-only,unanchored,out-of-scope,,,,,,,,braced@contoso.com,{4080c100-0000-4000-8000-000000000004},,,,,,7
  spaced@contoso.com,cloud-only,unanchored,out-of-scope,,,,,,,,spaced@contoso.com,50a0f140-0000-4000-8000-000000000005,,,,,,8
  quoted@contoso.com,cloud-only,unanchored,out-of-scope,,,,,,,,quoted@contoso.com,60c12180-0000-4000-8000-000000000006,,,,,,9
  empty@contoso.com,cloud-only,unanchored,out-of-scope,,,,,,,,empty@contoso.com,,,,,,,10
  nearly@contoso.com,cloud-only,unanchored,out-of-scope,,,,,,,,nearly@contoso.com,g0203040-0000-4000-8000-000000000001,,,,,,11
  dashless@contoso.com,cloud-only,unanchored,out-of-scope,,,,,,,,dashless@contoso.com,10203040+0000-4000-8000-000000000001,,,,,,12
  longer@contoso.com,cloud-only,unanchored,out-of-scope,,,,,,,,longer@contoso.com,10203040-0000-4000-8000-0000000000012,,,,,,13
  formula@contoso.com,cloud-only,unanchored,out-of-scope,,,,,,,,formula@contoso.com,"=""=1+1""",,,,,,14
`,
  '\r\n',
);

test.each([[[]], [['--threads', '1']]])('every cloud object id is written back as it was read (%j)', async (extra) => {
  const r = await reconcileInline(ONPREM, CLOUD, extra);
  expect(r.code).toBe(0);
  // Byte order mark, CRLF line ends: reconciliation.csv as Excel reads it.
  expect(r.reconciliation).toBe(`\uFEFF${EXPECTED}`);
});
