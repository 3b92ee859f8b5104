/** Rows that cannot be used: in the reconciliation as invalid (with their cloud row) and in rejects.csv. */
import { G } from './guids';
import { csv, project, reconcileInline } from './helpers';

const ONPREM = csv(`
  UserPrincipalName,ObjectGUID,mS-DS-ConsistencyGuid
  ,${G[1].guid},
  binary@contoso.com,${G[2].guid},System.Byte[]
  garbled@contoso.com,74aa7831-ac60-4c6c-bcf0,
  short@contoso.com,${G[3].guid}
  no-guid@contoso.com,,
  fine@contoso.com,${G[4].guid},
`);
const CLOUD = csv(`
  id,userPrincipalName,onPremisesImmutableId
  c1,binary@contoso.com,${G[2].id}
  c2,short@contoso.com,
  c3,fine@contoso.com,${G[4].id},extra
  c4,,${G[5].id}
`);

test('invalid on-prem rows keep their cloud row; invalid cloud rows keep their on-prem row', async () => {
  const r = await reconcileInline(ONPREM, CLOUD);
  expect(r.code).toBe(0);
  expect(project(r.reconciliation, ['upn', 'status', 'reason', 'entra_connect', 'object_guid', 'onprem_line', 'cloud_line'])).toBe(
    csv(`
      upn,status,reason,entra_connect,object_guid,onprem_line,cloud_line
      ,invalid,empty-upn,unknown,${G[1].guid},2,
      binary@contoso.com,invalid,binary-export,unknown,${G[2].guid},3,2
      garbled@contoso.com,invalid,bad-anchor,unknown,,4,
      short@contoso.com,invalid,field-count,unknown,${G[3].guid},5,3
      no-guid@contoso.com,invalid,bad-anchor,unknown,,6,
      fine@contoso.com,invalid,field-count,unknown,${G[4].guid},7,4
      ,invalid,empty-upn,unknown,,,5
    `),
  );
});

test('rejects.csv names line, column, value and what to do for every unusable row', async () => {
  const r = await reconcileInline(ONPREM, CLOUD);
  expect(project(r.rejects, ['line', 'column', 'value', 'reason', 'message'])).toBe(
    csv(`
      line,column,value,reason,message
      2,UserPrincipalName,,empty-upn,"the UPN is empty, so the row cannot be joined; give the user a UPN or leave the row out"
      3,mS-DS-ConsistencyGuid,System.Byte[],binary-export,"'System.Byte[]' is what Export-Csv writes for a binary or multi-valued attribute: the value is not in the file; re-export with the value converted, e.g. Select-Object UserPrincipalName,ObjectGUID,@{n='mS-DS-ConsistencyGuid';e={if($_.'mS-DS-ConsistencyGuid'){[guid]$_.'mS-DS-ConsistencyGuid'}}}"
      4,ObjectGUID,74aa7831-ac60-4c6c-bcf0,bad-anchor,"'74aa7831-ac60-4c6c-bcf0' is not a GUID in any spelling idrecon knows (GUID, X'hex', Base64, LDAP escape); check the export"
      5,,2 fields,field-count,the row has 2 fields but the header has 3; a line break or delimiter inside an unquoted value usually causes this: fix the row or re-export
      6,ObjectGUID,,bad-anchor,"ObjectGUID is empty, so there is no source anchor"
      4,,4 fields,field-count,the row has 4 fields but the header has 3; a line break or delimiter inside an unquoted value usually causes this: fix the row or re-export
      5,userPrincipalName,,empty-upn,"the UPN is empty, so the row cannot be joined; give the user a UPN or leave the row out"
    `),
  );
  const files = project(r.rejects, ['file']).split('\n').slice(1, -1);
  expect(files.map((f) => f.replace(r.dir + '/', ''))).toEqual(['onprem.csv', 'onprem.csv', 'onprem.csv', 'onprem.csv', 'onprem.csv', 'cloud.csv', 'cloud.csv']);
});

test('the summary accounts for every input row', async () => {
  const r = await reconcileInline(ONPREM, CLOUD);
  expect(r.summary).toMatchObject({
    output_rows: 7,
    joined_pairs: 3,
    rejects: 7,
    status: { invalid: 7, match: 0 },
    status_reason: { 'invalid/bad-anchor': 2, 'invalid/binary-export': 1, 'invalid/empty-upn': 2, 'invalid/field-count': 2 },
    check: '6 on-prem rows + 4 cloud rows = 7 output rows + 3 joined pairs',
  });
});
