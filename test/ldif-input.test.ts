/**
 * reconcile --onprem reads LDIF as ldifde and ldapsearch write it, recognised by its content; an
 * LDIF file where only CSV is read is named as such; convert reads Samba's `objectGUID: <GUID>`.
 * GUIDs and ImmutableIDs below were computed with Python's uuid (bytes_le), not with idrecon.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './export/run-cli';
import { cli, csv, project, reconcileInline, tempDir } from './helpers';

/**
 * ldifde's style: CRLF, `changetype: add`, Base64 binary values, a value folded onto the next line,
 * a DN and a UPN in Base64 because they are not ASCII; Samba's ldbsearch style `objectGUID: <GUID>`;
 * a user without UPN; comments, and ldapsearch's result trailer, which are not entries.
 */
const LDIF = csv(
  `
  # ldifde -f onprem.ldf -r "(objectClass=user)"
  dn: CN=Ann Adams,OU=Staff,DC=contoso,DC=com
  changetype: add
  objectGUID:: MXiqdGCsbEy88DxCsxC66g==
  userPrincipalName: ann.adams@contoso.com
  proxyAddresses: SMTP:ann.adams@contoso.com
  proxyAddresses: smtp:ann@contoso.com

  dn: CN=Bob Brown,OU=Staff,
   DC=contoso,DC=com
  changetype: add
  objectGUID:: ERERESIiMzNERFVVVVVVVQ==
  mS-DS-ConsistencyGuid:: qqqqqru7zM
   zd3e7u7u7u7g==
  userPrincipalName: bob.brown@contoso.com

  dn:: Q049SsO2cmcgSsOkZ2VyLE9VPVN0YWZmLERDPWNvbnRvc28sREM9Y29t
  objectGUID: 0f0e0d0c-0b0a-0908-0706-050403020100
  userPrincipalName:: asO2cmcuasOkZ2VyQGNvbnRvc28uY29t

  dn: CN=Backup Service,OU=Staff,DC=contoso,DC=com
  objectGUID:: IiIiIjMzRERVVWZmZmZmZg==

  # search result
  search: 2
  result: 0 Success
`,
  '\r\n',
);

const CLOUD = csv(`
  id,userPrincipalName,onPremisesImmutableId
  c1,ann.adams@contoso.com,MXiqdGCsbEy88DxCsxC66g==
  c2,bob.brown@contoso.com,
  c3,jörg.jäger@contoso.com,DA0ODwoLCAkHBgUEAwIBAA==
`);

test('an ldifde/ldapsearch/ldbsearch LDIF file reconciles as the CSV export of the same users would', async () => {
  const r = await reconcileInline(LDIF, CLOUD);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(project(r.reconciliation, ['upn', 'status', 'reason', 'expected_immutable_id', 'anchor_attribute', 'object_guid', 'consistency_guid', 'onprem_line'])).toBe(
    csv(`
      upn,status,reason,expected_immutable_id,anchor_attribute,object_guid,consistency_guid,onprem_line
      ann.adams@contoso.com,match,,MXiqdGCsbEy88DxCsxC66g==,objectGUID,74aa7831-ac60-4c6c-bcf0-3c42b310baea,,2
      bob.brown@contoso.com,missing,,qqqqqru7zMzd3e7u7u7u7g==,mS-DS-ConsistencyGuid,11111111-2222-3333-4444-555555555555,aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee,9
      jörg.jäger@contoso.com,match,,DA0ODwoLCAkHBgUEAwIBAA==,objectGUID,0f0e0d0c-0b0a-0908-0706-050403020100,,17
      ,invalid,empty-upn,,,22222222-3333-4444-5555-666666666666,,21
    `),
  );
  expect(r.rejects).toBe(
    '\ufeff' +
      csv(
        `
        file,line,column,value,reason,message
        ${join(r.dir, 'onprem.csv')},21,UserPrincipalName,,empty-upn,"the UPN is empty, so the row cannot be joined; give the user a UPN or leave the row out"
      `,
        '\r\n',
      ),
  );
  expect(r.summary.inputs).toMatchObject({ onprem: { rows: 4, blank_rows: 0, encoding: 'utf-8', delimiter: 'ldif' } });
});

test('ldifde -u writes UTF-16LE with a byte order mark: read the same', async () => {
  const r = await reconcileInline(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LDIF, 'utf16le')]), CLOUD);
  expect(r.code).toBe(0);
  expect(r.summary.inputs).toMatchObject({ onprem: { rows: 4, encoding: 'utf-16le', delimiter: 'ldif' } });
  expect(project(r.reconciliation, ['upn', 'status'])).toBe('upn,status\nann.adams@contoso.com,match\nbob.brown@contoso.com,missing\njörg.jäger@contoso.com,match\n,invalid\n');
});

test('broken LDIF: exit 2 with the file and line', async () => {
  const r = await reconcileInline('dn: CN=A,DC=x\nobjectGUID:: not base64!\n', CLOUD);
  expect({ code: r.code, stderr: r.stderr }).toEqual({
    code: 2,
    stderr: `idrecon: ${join(r.dir, 'onprem.csv')}, line 2: broken LDIF: the value of objectGUID after '::' is not Base64; export again with ldifde or ldapsearch, or give the CSV of idrecon export onprem\n`,
  });
  const change = await reconcileInline('version: 1\n\ndn: CN=A,DC=x\nchangetype: modify\nreplace: mail\n', CLOUD);
  expect(change.stderr).toBe(
    `idrecon: ${join(change.dir, 'onprem.csv')}, line 4: broken LDIF: 'changetype: modify' is a change to apply, not an export of entries; export again with ldifde or ldapsearch, or give the CSV of idrecon export onprem\n`,
  );
});

test('LDIF where only CSV is read (the cloud side) is named, not read as CN=... columns', async () => {
  const r = await reconcileInline(csv('UserPrincipalName,ObjectGUID\na@contoso.com,74aa7831-ac60-4c6c-bcf0-3c42b310baea\n'), LDIF);
  expect({ code: r.code, stderr: r.stderr }).toEqual({
    code: 2,
    stderr: `idrecon: ${join(r.dir, 'cloud.csv')}, line 1: is LDIF (an ldifde or ldapsearch export), not CSV; only reconcile --onprem reads LDIF: give a CSV export here\n`,
  });
  const dir = tempDir();
  writeFileSync(join(dir, 'users.ldif'), LDIF);
  const serve = await runCli(['tenant', 'serve', '--users', join(dir, 'users.ldif'), '--port', '0'], { IDRECON_CLIENT_SECRET: 'local-secret' });
  expect(serve).toEqual({
    code: 2,
    stdout: '',
    stderr: `idrecon: ${join(dir, 'users.ldif')}, line 1: is LDIF (an ldifde or ldapsearch export), not CSV; only reconcile --onprem reads LDIF: give a CSV export here\n`,
  });
});

test("convert reads Samba's objectGUID: <GUID> as well as ldifde's objectGUID:: <Base64>", async () => {
  const r = await cli(['convert', '--json', 'objectGUID: 74aa7831-ac60-4c6c-bcf0-3c42b310baea', 'objectGUID:: MXiqdGCsbEy88DxCsxC66g==']);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).map((c: { spelling: string; immutable_id: string }) => [c.spelling, c.immutable_id])).toEqual([
    ['ldif', 'MXiqdGCsbEy88DxCsxC66g=='],
    ['ldif', 'MXiqdGCsbEy88DxCsxC66g=='],
  ]);
});
