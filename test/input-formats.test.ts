/** The ways real exports are written: encodings, #TYPE lines, delimiters, quoting, blank rows. */
import { G } from './guids';
import { csv, project, reconcileInline } from './helpers';

const CLOUD = csv(`
  id,userPrincipalName,onPremisesImmutableId
  c1,doe@contoso.com,${G[1].id}
  c2,roe@contoso.com,
`);
const EXPECTED = csv(`
  upn,status,onprem_line,cloud_line
  doe@contoso.com,match,3,2
  roe@contoso.com,missing,4,3
  poe@contoso.com,onprem-only,6,
`);

/** Windows PowerShell 5.1 Export-Csv: #TYPE line, every field quoted, CRLF, a DN with escaped commas, a field with a line break. */
const PS51 = csv(
  `
  #TYPE Selected.Microsoft.ActiveDirectory.Management.ADUser
  "DistinguishedName","UserPrincipalName","ObjectGUID","Description"
  "CN=Doe\\, John,OU=Users,DC=contoso,DC=com","doe@contoso.com","${G[1].guid}","said ""hi"""
  "CN=Roe\\, Jane,OU=Users,DC=contoso,DC=com","roe@contoso.com","${G[2].guid}","two
  lines"
  "CN=Poe\\, Edgar,OU=Users,DC=contoso,DC=com","poe@contoso.com","${G[3].guid}",""
`,
  '\r\n',
);

const utf16be = (s: string) => {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
};

test.each([
  ['UTF-8', Buffer.from(PS51, 'utf8')],
  ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(PS51, 'utf8')])],
  ['UTF-16LE with BOM (PowerShell >)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(PS51, 'utf16le')])],
  ['UTF-16BE with BOM', utf16be(PS51)],
  ['semicolons (-UseCulture)', Buffer.from(PS51.replace(/","/g, '";"'), 'utf8')],
  ['tabs', Buffer.from(PS51.replace(/","/g, '"\t"'), 'utf8')],
])('%s reads to the same rows with the right line numbers', async (_name, bytes) => {
  const r = await reconcileInline(bytes, CLOUD);
  expect(r.stderr).toBe('');
  expect(project(r.reconciliation, ['upn', 'status', 'onprem_line', 'cloud_line'])).toBe(EXPECTED);
});

test('blank lines and all-empty rows are skipped and counted, never joined', async () => {
  const r = await reconcileInline(PS51 + '\r\n\r\n,,,\r\n"","","",""\r\n', CLOUD);
  expect(project(r.reconciliation, ['upn', 'status', 'onprem_line', 'cloud_line'])).toBe(EXPECTED);
  expect(r.summary.inputs).toMatchObject({ onprem: { rows: 3, blank_rows: 4, delimiter: ',', encoding: 'utf-8' } });
});

test('windows-1252 text is read with --encoding windows-1252', async () => {
  const onprem = Buffer.from(`UserPrincipalName,ObjectGUID,Name\ndoe@contoso.com,${G[1].guid},M\xfcller\n`, 'latin1');
  const r = await reconcileInline(onprem, CLOUD, ['--encoding', 'windows-1252']);
  expect(r.code).toBe(0);
});

test('cloud exports from older modules (Get-MsolUser, AzureAD) are recognised by their column names', async () => {
  const r = await reconcileInline(
    csv(`
      UserPrincipalName,ObjectGUID
      doe@contoso.com,${G[1].guid}
    `),
    csv(`
      ObjectId,UserPrincipalName,ImmutableId,DirSyncEnabled
      c1,doe@contoso.com,${G[1].id},True
    `),
  );
  expect(project(r.reconciliation, ['upn', 'status', 'cloud_object_id', 'cloud_sync_enabled'])).toBe(
    csv(`
      upn,status,cloud_object_id,cloud_sync_enabled
      doe@contoso.com,match,c1,true
    `),
  );
});

test('columns can be named on the command line', async () => {
  const r = await reconcileInline(
    csv(`
      login,guid
      doe@contoso.com,${G[1].guid}
    `),
    csv(`
      oid,name,anchor
      c1,doe@contoso.com,${G[1].id}
    `),
    ['--onprem-upn-column', 'login', '--onprem-guid-column', 'GUID', '--cloud-upn-column', 'name', '--cloud-id-column', 'oid', '--cloud-immutable-id-column', 'anchor'],
  );
  expect(project(r.reconciliation, ['upn', 'status', 'cloud_object_id'])).toBe('upn,status,cloud_object_id\ndoe@contoso.com,match,c1\n');
});

test('blank and space-only lines before the header neither become the header nor decide the delimiter', async () => {
  const onprem = `\r\n   \r\n;;\r\nUserPrincipalName;ObjectGUID\r\ndoe@contoso.com;${G[1].guid}\r\n`;
  const r = await reconcileInline(onprem, CLOUD);
  expect(project(r.reconciliation, ['upn', 'status', 'onprem_line'])).toBe('upn,status,onprem_line\ndoe@contoso.com,match,5\nroe@contoso.com,cloud-only,\n');
  expect(r.summary.inputs).toMatchObject({ onprem: { rows: 1, blank_rows: 3, delimiter: ';' } });
});
