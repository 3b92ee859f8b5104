/**
 * export onprem against a real domain controller (Samba AD DC): the file it writes equals the one
 * test/ldap/make-users.py wrote from the users it loaded (GUIDs and SIDs fixed there, with Python's
 * uuid), plus the users the DC made itself as Samba's own ldbsearch shows them; it pages; and the
 * export reconciles as expected, read as CSV or as the LDIF ldapsearch and ldbsearch write.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../export/run-cli';
import { csv, tempDir } from '../helpers';
import { BASE_DN, type Dc, STAFF_DN, SVC_BIND, SVC_PASSWORD, parseLdbsearch, startDc } from './samba';

// Each DC test file has its own loopback address: the LDAP ports are fixed.
const IP = '127.0.0.21';
const HERE = __dirname;
const ENV = { IDRECON_LDAP_PASSWORD: SVC_PASSWORD };

let dc: Dc;
beforeAll(async () => {
  dc = await startDc(IP, join(HERE, 'users.ldif'));
}, 120_000);
afterAll(() => dc?.stop());

const exportArgs = (out: string, ...more: string[]) => ['export', 'onprem', '--ldap-url', dc.ldapsUrl, '--ca-file', dc.caFile, '--bind-dn', SVC_BIND, '--out', out, ...more];

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

const isoTime = (t: string) => t.replace(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)\.0Z$/, '$1-$2-$3T$4:$5:$6Z');

/**
 * The expected export, line by line: make-users.py's rows for the users it made, with the time the
 * DC added them (whenChanged, which no one can set); ldbsearch's view of the users the DC made.
 */
function expectedLines(base = BASE_DN): string[] {
  const fixture = readFileSync(join(HERE, 'expected-users.csv'), 'utf8').trimEnd().split('\r\n');
  const byDn = new Map(fixture.slice(1).map((line) => [line.match(/"(CN=.*?)"/)![1].replace(/""/g, '"'), line]));
  const attrs = ['objectGUID', 'objectSid', 'whenChanged', 'userPrincipalName', 'sAMAccountName', 'userAccountControl', 'isCriticalSystemObject', 'mail', 'proxyAddresses', 'mS-DS-ConsistencyGuid'];
  const lines = [];
  for (const e of parseLdbsearch(dc.ldbsearch('(&(objectCategory=person)(objectClass=user))', attrs, base))) {
    const dn = e.get('dn')![0];
    const v = (a: string) => e.get(a.toLowerCase())?.[0] ?? '';
    if (byDn.has(dn)) {
      lines.push(`${byDn.get(dn)},${isoTime(v('whenChanged'))}`);
      continue;
    }
    expect(v('mS-DS-ConsistencyGuid')).toBe('');
    const enabled = Number(v('userAccountControl')) & 2 ? 'False' : 'True';
    const critical = v('isCriticalSystemObject') === 'TRUE' ? 'True' : 'False';
    const row = [v('userPrincipalName'), v('objectGUID'), '', v('mail'), (e.get('proxyaddresses') ?? []).join(';'), v('sAMAccountName'), dn, enabled, critical, v('objectSid'), isoTime(v('whenChanged'))];
    lines.push(row.map(quote).join(','));
  }
  return lines.sort();
}

const HEADER = 'UserPrincipalName,ObjectGUID,mS-DS-ConsistencyGuid,mail,proxyAddresses,SamAccountName,DistinguishedName,Enabled,isCriticalSystemObject,objectSid,whenChanged';

/** The file's header, and its rows in a fixed order (the DC's order is its own). */
function exported(file: string): { bom: boolean; header: string; lines: string[] } {
  const text = readFileSync(file, 'utf8');
  const [header, ...lines] = text.replace(/^\ufeff/, '').replace(/\r\n$/, '').split('\r\n');
  return { bom: text.startsWith('\ufeff'), header, lines: lines.sort() };
}

test('exports every user of the domain over LDAPS, binary attributes as bytes, exactly as expected', async () => {
  const out = join(tempDir(), 'onprem.csv');
  const r = await runCli(exportArgs(out, '--base-dn', BASE_DN), ENV);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const expected = expectedLines();
  expect(exported(out)).toEqual({ bom: true, header: HEADER, lines: expected });
  // Administrator, Guest, krbtgt and dns-dc1 are the DC's critical system objects; svc-idrecon has a
  // UPN. A search from the domain root also returns a reference to the configuration partition.
  expect(r.stdout).toBe(
    csv(`
      exported 13 users in 1 page from ldaps://127.0.0.21 to ${out} (0 retries; 1 continuation reference not followed)
      base DN             users  with UPN  without UPN  ConsistencyGuid  critical  disabled
      DC=example,DC=test     13         8            5                3         4         3
    `),
  );
}, 30_000);

test('pages with the paged results control: 13 users in pages of 4 are 4 pages, the same file', async () => {
  const out = join(tempDir(), 'onprem.csv');
  const r = await runCli(exportArgs(out, '--base-dn', BASE_DN, '--page-size', '4'), ENV);
  expect(r.code).toBe(0);
  expect(r.stdout.split('\n')[0]).toBe(`exported 13 users in 4 pages from ldaps://127.0.0.21 to ${out} (0 retries; 1 continuation reference not followed)`);
  expect(exported(out).lines).toEqual(expectedLines());
}, 30_000);

test('StartTLS on ldap:// reads the same users; two base DNs are counted apart', async () => {
  const out = join(tempDir(), 'onprem.csv');
  const args = ['export', 'onprem', '--ldap-url', dc.ldapUrl, '--start-tls', '--ca-file', dc.caFile, '--bind-dn', SVC_BIND, '--out', out];
  const r = await runCli([...args, '--base-dn', STAFF_DN, '--base-dn', `CN=Users,${BASE_DN}`], ENV);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(
    csv(`
      exported 13 users in 2 pages from ldap://127.0.0.21 to ${out} (0 retries)
      base DN                      users  with UPN  without UPN  ConsistencyGuid  critical  disabled
      OU=Staff,DC=example,DC=test      8         7            1                3         0         1
      CN=Users,DC=example,DC=test      5         1            4                0         4         2
    `),
  );
  expect(exported(out).lines).toEqual(expectedLines());
}, 30_000);

/** A cloud export for the Staff users: ann and bob synced right, carla anchored on her objectGUID, jörg without ImmutableID. */
const CLOUD = csv(`
  id,userPrincipalName,displayName,onPremisesImmutableId,onPremisesSyncEnabled,mail
  00000000-0000-4000-8000-00000000a001,ann.adams@example.test,Ann Adams,N95CH5q651+JtmztLQBy+w==,True,ann.adams@example.test
  00000000-0000-4000-8000-00000000a002,bob.brown@example.test,Bob Brown,UcIw/FZ2HlySr7l/BTS06w==,True,
  00000000-0000-4000-8000-00000000a003,carla.cruz@example.test,Carla Cruz,hQfDlsEFDlC0SbqBTKZlBw==,True,carla.cruz@example.test
  00000000-0000-4000-8000-00000000a008,jörg.jäger@example.test,Jörg Jäger,,,
`);

const RECONCILIATION_COLUMNS = 'upn,status,reason,entra_connect,expected_immutable_id,cloud_immutable_id,anchor_attribute,object_guid,consistency_guid';

/** The reconciliation's columns that do not depend on where the on-prem rows came from. */
function reconciled(dir: string): string {
  const lines = readFileSync(join(dir, 'reconciliation.csv'), 'utf8').replace(/^\ufeff/, '').trimEnd().split('\r\n');
  const head = lines[0].split(',');
  const keep = RECONCILIATION_COLUMNS.split(',').map((c) => head.indexOf(c));
  return lines.map((l) => l.split(',')).map((f) => keep.map((i) => f[i]).join(',')).join('\n') + '\n';
}

const EXPECTED_RECONCILIATION = csv(`
  ${RECONCILIATION_COLUMNS}
  ann.adams@example.test,match,,hard-match,N95CH5q651+JtmztLQBy+w==,N95CH5q651+JtmztLQBy+w==,objectGUID,1f42de37-ba9a-5fe7-89b6-6ced2d0072fb,
  bob.brown@example.test,match,,hard-match,UcIw/FZ2HlySr7l/BTS06w==,UcIw/FZ2HlySr7l/BTS06w==,mS-DS-ConsistencyGuid,e4baf8c5-94e2-5d2e-b025-4c1f1141be67,fc30c251-7656-5c1e-92af-b97f0534b4eb
  ,invalid,empty-upn,unknown,,,,7cae61cb-e909-55a6-80d6-4cc600897ad3,
  carla.cruz@example.test,mismatch,other-anchor-attribute,duplicate-created,w6nDqcOpw6nDqcOpw6nDqQ==,hQfDlsEFDlC0SbqBTKZlBw==,mS-DS-ConsistencyGuid,96c30785-05c1-500e-b449-ba814ca66507,a9c3a9c3-a9c3-a9c3-c3a9-c3a9c3a9c3a9
  erin.evans@example.test,onprem-only,will-create,create,gMRN2m393lS3e6PI7MDWaw==,,objectGUID,da4dc480-fd6d-54de-b77b-a3c8ecc0d66b,
  frank.fisher@example.test,onprem-only,will-create,create,gtvNhWWXaVuQS0Ckxzgb0g==,,objectGUID,85cddb82-9765-5b69-904b-40a4c7381bd2,
  gina.gray@example.test,invalid,bad-anchor,unknown,,,,19ad693a-da28-574d-82f4-c07b7124435c,
  jörg.jäger@example.test,missing,,soft-match,vd0jxmafBVubs++QdOzszA==,,objectGUID,c623ddbd-9f66-5b05-9bb3-ef9074ececcc,
`);

test('export then reconcile: the expected reconciliation, whether the on-prem side is the CSV or LDIF from ldapsearch or ldbsearch', async () => {
  const dir = tempDir();
  const cloud = join(dir, 'cloud.csv');
  writeFileSync(cloud, CLOUD);
  const onprem = join(dir, 'onprem.csv');
  expect((await runCli(exportArgs(onprem, '--base-dn', STAFF_DN), ENV)).code).toBe(0);

  // The same users as ldapsearch writes them (objectGUID:: Base64, folded lines), paged, over LDAPS...
  const ldapsearch = execFileSync(
    'ldapsearch',
    ['-LLL', '-H', dc.ldapsUrl, '-x', '-D', SVC_BIND, '-w', SVC_PASSWORD, '-b', STAFF_DN, '-E', 'pr=3/noprompt', '(&(objectCategory=person)(objectClass=user))', 'userPrincipalName', 'objectGUID', 'mS-DS-ConsistencyGuid', 'mail', 'proxyAddresses', 'sAMAccountName'],
    { env: { ...process.env, LDAPTLS_CACERT: dc.caFile } },
  );
  writeFileSync(join(dir, 'ldapsearch.ldif'), ldapsearch);
  expect(ldapsearch.toString()).toMatch(/^objectGUID:: /m);
  // ...and as Samba's ldbsearch writes them (objectGUID: <GUID> as text).
  const ldbsearch = dc.ldbsearch('(&(objectCategory=person)(objectClass=user))', ['userPrincipalName', 'objectGUID', 'mS-DS-ConsistencyGuid', 'mail', 'proxyAddresses', 'sAMAccountName'], STAFF_DN);
  writeFileSync(join(dir, 'ldbsearch.ldif'), ldbsearch);
  expect(ldbsearch).toMatch(/^objectGUID: [0-9a-f]{8}-/m);

  for (const input of ['onprem.csv', 'ldapsearch.ldif', 'ldbsearch.ldif']) {
    const out = join(dir, `out-${input}`);
    const r = await runCli(['reconcile', '--onprem', join(dir, input), '--cloud', cloud, '--out', out]);
    expect({ input, stderr: r.stderr, code: r.code }).toEqual({ input, stderr: '', code: 0 });
    expect({ input, reconciliation: reconciled(out).split('\n').sort() }).toEqual({ input, reconciliation: EXPECTED_RECONCILIATION.split('\n').sort() });
  }
  const rejects = readFileSync(join(dir, 'out-onprem.csv', 'rejects.csv'), 'utf8');
  expect(rejects).toContain(
    `mS-DS-ConsistencyGuid,X'0102030405060708090a0b0c0d0e0f1011121314',bad-anchor,"mS-DS-ConsistencyGuid holds 20 bytes, not the 16 of a GUID, so it is not a GUID source anchor; check who wrote it (a custom anchor?)"`,
  );
}, 60_000);
