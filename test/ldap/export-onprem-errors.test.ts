/**
 * export onprem when the bind, the certificate, the DC or the URL is wrong: one line on stderr,
 * the documented exit code, no file, and the password in no output.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../export/run-cli';
import { tempDir } from '../helpers';
import { BASE_DN, type Dc, SVC_BIND, SVC_PASSWORD, makeCa, startDc } from './samba';

const IP = '127.0.0.22';
/** Nothing listens here. */
const NOWHERE = '127.0.0.23';
const WRONG_PASSWORD = 'Wr0ng-Secret-5d1e!';

let dc: Dc;
let dir: string;
const outputs: string[] = [];
beforeAll(async () => {
  dc = await startDc(IP, join(__dirname, 'users.ldif'));
  dir = tempDir();
}, 120_000);
afterAll(() => dc?.stop());

/** `password` null: none in the environment. */
async function exportWith(url: string, more: string[], password: string | null = SVC_PASSWORD) {
  const out = join(dir, 'onprem.csv');
  const r = await runCli(['export', 'onprem', '--ldap-url', url, '--base-dn', BASE_DN, '--bind-dn', SVC_BIND, '--out', out, ...more], { IDRECON_LDAP_PASSWORD: password ?? undefined });
  outputs.push(r.stdout, r.stderr);
  // No output file, and no temporary file left beside it.
  expect(readdirSync(dir)).toEqual([]);
  return r;
}

test('a wrong password: exit 4, the DC refused the bind', async () => {
  const r = await exportWith(`ldaps://${IP}`, ['--ca-file', dc.caFile], WRONG_PASSWORD);
  expect(r).toEqual({
    code: 4,
    stdout: '',
    stderr: `idrecon: ldaps://${IP} refused the bind of ${SVC_BIND}: wrong password or user, or the account is disabled, locked or expired (${'80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52e, v1db1 Code: 0x31'}); check IDRECON_LDAP_PASSWORD and --bind-dn\n`,
  });
}, 20_000);

test('a certificate from another CA, or no --ca-file for a private CA: exit 4, not trusted', async () => {
  const other = makeCa(tempDir(), 'other-ca');
  const wrong = await exportWith(`ldaps://${IP}`, ['--ca-file', other.cert]);
  expect(wrong).toEqual({
    code: 4,
    stdout: '',
    stderr: `idrecon: ldaps://${IP}: the DC's certificate is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate): the CA in ${other.cert} did not issue it; give the CA that issued it with --ca-file\n`,
  });
  const none = await exportWith(`ldaps://${IP}`, []);
  expect(none).toEqual({
    code: 4,
    stdout: '',
    stderr: `idrecon: ldaps://${IP}: the DC's certificate is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate): it is not issued by a CA this machine trusts; give the CA that issued it with --ca-file\n`,
  });
}, 20_000);

test('a DC that does not answer: exit 4 after the retries, each retry said', async () => {
  const once = await exportWith(`ldaps://${NOWHERE}`, ['--max-retries', '0']);
  expect(once).toEqual({
    code: 4,
    stdout: '',
    stderr: `idrecon: ldaps://${NOWHERE}: nothing answers there (connection refused); check the host, the port and that the DC is up (given up after 0 retries)\n`,
  });
  const retried = await exportWith(`ldaps://${NOWHERE}`, ['--max-retries', '1']);
  expect(retried).toEqual({
    code: 4,
    stdout: '',
    stderr:
      `idrecon: ldaps://${NOWHERE}: nothing answers there (connection refused); check the host, the port and that the DC is up; starting the export over, retry 1 of 1 in 1.0 s\n` +
      `idrecon: ldaps://${NOWHERE}: nothing answers there (connection refused); check the host, the port and that the DC is up (given up after 1 retry)\n`,
  });
}, 20_000);

test('the global catalog port: exit 2, query each domain DC instead', async () => {
  for (const url of [`ldaps://${IP}:3269`, `ldap://${IP}:3268`]) {
    const r = await exportWith(url, ['--start-tls']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `idrecon: --ldap-url: port ${url.slice(-4)} is the global catalog, which does not hold mS-DS-ConsistencyGuid; query a DC of each domain on its own port (ldaps://HOST, port 636; or ldap://HOST with --start-tls, port 389), one export per domain\n`,
    );
  }
}, 20_000);

test('a simple bind over plain LDAP: refused by idrecon unless --insecure-plain-ldap, then by the DC', async () => {
  const refused = await exportWith(`ldap://${IP}`, []);
  expect(refused).toEqual({
    code: 2,
    stdout: '',
    stderr: `idrecon: --ldap-url: ldap://${IP} without --start-tls would send the password in clear; use ldaps://, or add --start-tls (or --insecure-plain-ldap on a lab network you trust)\n`,
  });
  const plain = await exportWith(`ldap://${IP}`, ['--insecure-plain-ldap']);
  expect(plain).toEqual({
    code: 4,
    stdout: '',
    stderr: `idrecon: ldap://${IP} requires an encrypted connection for a simple bind (BindSimple: Transport encryption required. Code: 0x8); use ldaps:// or --start-tls\n`,
  });
}, 20_000);

test('no password in the environment: exit 2, and no password ever appears in any output', async () => {
  const r = await exportWith(`ldaps://${IP}`, ['--ca-file', dc.caFile], null);
  expect(r).toEqual({ code: 2, stdout: '', stderr: 'idrecon: no password: set it in the environment variable IDRECON_LDAP_PASSWORD (it is never taken from the command line)\n' });
  expect(outputs.length).toBeGreaterThan(10);
  for (const text of outputs) {
    expect(text).not.toContain(SVC_PASSWORD);
    expect(text).not.toContain(WRONG_PASSWORD);
  }
});
