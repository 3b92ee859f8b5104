/**
 * Option errors read the same for every command: "what: expected X, got Y", with what was typed
 * quoted, never JSON or null. Exit code 2, nothing on stdout.
 */
import { cli } from './helpers';

const RECONCILE = ['reconcile', '--onprem', 'fixtures/onprem-users.csv', '--cloud', 'fixtures/cloud-users.csv', '--out', '/nonexistent/never-written'];

test.each([
  [[...RECONCILE, '--threads', 'abc'], "--threads: expected a number, got 'abc'"],
  [[...RECONCILE, '--threads=two'], "--threads: expected a number, got 'two'"],
  [[...RECONCILE, '--threads', '0'], "--threads: expected 1 or more, got 0"],
  [[...RECONCILE, '--source-anchor'], '--source-anchor: expected auto, objectGUID or mS-DS-ConsistencyGuid, got nothing'],
  [[...RECONCILE, '--source-anchor', 'a', '--source-anchor', 'b'], "--source-anchor: expected auto, objectGUID or mS-DS-ConsistencyGuid, got 'a' and 'b' (the option was given 2 times)"],
  [[...RECONCILE, '--delimiter', '|'], "--delimiter: expected auto, ',', ';' or tab, got '|'"],
  [[...RECONCILE, '--frobnicate'], '--frobnicate: expected an option of this command, got an unknown one; see idrecon reconcile --help'],
  [['tenant', 'serve', '--users', 'fixtures/cloud-users.csv', '--port', 'eighty'], "--port: expected a port number, got 'eighty'"],
  [['tenant'], "<what>: expected 'serve' (idrecon tenant serve), got nothing; see idrecon tenant --help"],
  [['export'], "<what>: expected 'cloud', 'okta' or 'onprem' (idrecon export cloud), got nothing; see idrecon export --help"],
  [['export', 'ad'], "<what>: expected 'cloud', 'okta' or 'onprem' (idrecon export cloud), got 'ad'; see idrecon export --help"],
  [['export', 'onprem', '--bogus'], '--bogus: expected an option of this command, got an unknown one; see idrecon export onprem --help'],
  [['export', 'onprem', '--base-dn', 'DC=x', '--bind-dn', 'a', '--out', 'x.csv'], '--ldap-url: expected ldaps://HOST or ldap://HOST, got nothing'],
  [['export', 'onprem', '--ldap-url', 'ldaps://dc', '--base-dn', 'DC=x', '--bind-dn', 'a', '--out', 'x.csv', '--page-size', '5000'], '--page-size: expected 1 to 1000, got 5000'],
  [['plan', 'veri', 'plan.csv'], "<verify>: expected 'verify' (idrecon plan verify FILE) or no word at all, got 'veri'"],
  [['plan', '--out', 'plan.csv'], '--reconciliation: expected a file name, got nothing'],
  [['plan', 'verify'], '<file>: expected the plan to verify, got nothing'],
  [['plan', 'verify', 'plan.csv', '--encoding', 'latin'], "--encoding: expected auto, utf-8, utf-16le, utf-16be or windows-1252, got 'latin'"],
  [['plan', 'verify', 'plan.csv', '--out', 'x.csv'], '--out: expected an option of this command, got an unknown one; see idrecon plan verify --help'],
  [['convert', '--hex-order', 'little', 'x'], "--hex-order: expected display or raw, got 'little'"],
])('%j', async (args, message) => {
  expect(await cli(args)).toEqual({ code: 2, stdout: '', stderr: `idrecon: ${message}\n` });
});
