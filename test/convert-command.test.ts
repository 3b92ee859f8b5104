import { cli } from './helpers';

test('prints every spelling of a GUID and names the display-order mistake', async () => {
  const r = await cli(['convert', '74aa7831-ac60-4c6c-bcf0-3c42b310baea']);
  expect(r).toEqual({
    code: 0,
    stderr: '',
    stdout: [
      '74aa7831-ac60-4c6c-bcf0-3c42b310baea  (guid)',
      '  immutable_id          MXiqdGCsbEy88DxCsxC66g==',
      '  guid                  74aa7831-ac60-4c6c-bcf0-3c42b310baea',
      "  csvde                 X'3178aa7460ac6c4cbcf03c42b310baea'",
      '  ldap_filter           \\31\\78\\aa\\74\\60\\ac\\6c\\4c\\bc\\f0\\3c\\42\\b3\\10\\ba\\ea',
      '  display_order_base64  dKp4MaxgTGy88DxCsxC66g==  (the common wrong conversion; never the ImmutableID)',
      '',
    ].join('\n'),
  });
});

test('--json converts an ImmutableID back and names Okta ids', async () => {
  const r = await cli(['convert', '--json', 'MXiqdGCsbEy88DxCsxC66g==', '0ua1x2y3z4a5b6c7d8e9', '00u9k8j7h6g5f4e3d2c1']);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual([
    {
      input: 'MXiqdGCsbEy88DxCsxC66g==',
      kind: 'guid',
      spelling: 'base64',
      guid: '74aa7831-ac60-4c6c-bcf0-3c42b310baea',
      immutable_id: 'MXiqdGCsbEy88DxCsxC66g==',
      csvde: "X'3178aa7460ac6c4cbcf03c42b310baea'",
      ldap_filter: '\\31\\78\\aa\\74\\60\\ac\\6c\\4c\\bc\\f0\\3c\\42\\b3\\10\\ba\\ea',
      display_order_base64: 'dKp4MaxgTGy88DxCsxC66g==',
    },
    { input: '0ua1x2y3z4a5b6c7d8e9', kind: 'okta-appuser-id' },
    { input: '00u9k8j7h6g5f4e3d2c1', kind: 'okta-user-id' },
  ]);
});

test('bare hex needs --hex-order, and the two orders give different ImmutableIDs', async () => {
  const ambiguous = await cli(['convert', '3178aa7460ac6c4cbcf03c42b310baea']);
  expect(ambiguous).toEqual({
    code: 2,
    stdout: '',
    stderr:
      "idrecon: '3178aa7460ac6c4cbcf03c42b310baea' is 32 hex digits without dashes: it can be a GUID written in display order or its bytes in stored order (csvde); run again with --hex-order display or --hex-order raw\n",
  });
  const raw = await cli(['convert', '--json', '--hex-order', 'raw', '3178aa7460ac6c4cbcf03c42b310baea']);
  expect(JSON.parse(raw.stdout)[0].immutable_id).toBe('MXiqdGCsbEy88DxCsxC66g==');
  const display = await cli(['convert', '--json', '--hex-order', 'display', '74aa7831ac604c6cbcf03c42b310baea']);
  expect(JSON.parse(display.stdout)[0].immutable_id).toBe('MXiqdGCsbEy88DxCsxC66g==');
});

test('one value not understood prints nothing and exits 2', async () => {
  const r = await cli(['convert', '74aa7831-ac60-4c6c-bcf0-3c42b310baea', 'System.Byte[]']);
  expect(r).toEqual({
    code: 2,
    stdout: '',
    stderr: "idrecon: 'System.Byte[]' is what Export-Csv writes for a binary attribute, not a value; re-export the attribute converted to a GUID\n",
  });
});

test('a bad option value says what was expected and what was given', async () => {
  const r = await cli(['convert', '--hex-order', 'little', 'x']);
  expect(r).toEqual({ code: 2, stdout: '', stderr: `idrecon: --hex-order: expected display or raw, got 'little'\n` });
});

test("names Okta ids as Okta's API does: 0ua is an app assignment id, 00u a user id", async () => {
  const r = await cli(['convert', '0ua1x2y3z4a5b6c7d8e9', '00u9k8j7h6g5f4e3d2c1']);
  expect(r).toEqual({
    code: 0,
    stderr: '',
    stdout: [
      '0ua1x2y3z4a5b6c7d8e9',
      "  an Okta app assignment id (appAssignmentId in Okta's API): Okta may stamp an id of its own as ImmutableID on users with no AD source; it is not a GUID",
      '',
      '00u9k8j7h6g5f4e3d2c1',
      "  an Okta user id: Okta's recommended expression stamps it as ImmutableID on users with no AD source; it is not a GUID",
      '',
    ].join('\n'),
  });
});
