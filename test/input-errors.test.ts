/** Input that cannot be read stops the run with one line naming file, line and what to do: exit 2, no output. */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { G } from './guids';
import { cli, csv, reconcileInline, tempDir } from './helpers';

const ONPREM = csv(`
  UserPrincipalName,ObjectGUID
  doe@contoso.com,${G[1].guid}
`);
const CLOUD = csv(`
  id,userPrincipalName,onPremisesImmutableId
  c1,doe@contoso.com,${G[1].id}
`);

async function failure(onprem: string | Buffer, cloud: string | Buffer = CLOUD, extra: string[] = []) {
  const r = await reconcileInline(onprem, cloud, extra);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(existsSync(join(r.dir, 'out', 'reconciliation.csv'))).toBe(false);
  return r.stderr.replace(`${r.dir}/`, '');
}

test('an unclosed quote names the line it opens on, not the end of the file', async () => {
  const rows = [`"roe@contoso.com,${G[2].guid}`, ...Array.from({ length: 3000 }, (_, i) => `u${i}@contoso.com,${G[3].guid}`)];
  expect(await failure(`UserPrincipalName,ObjectGUID\r\n"A\r\nB",${G[1].guid}\r\n${rows.join('\r\n')}\r\n`)).toBe(
    'idrecon: onprem.csv, line 4: broken CSV quoting: a quoted field starts on this line and is never closed; a field that contains the delimiter, a double quote or a line break must be enclosed in double quotes, with quotes inside it doubled ("")\n',
  );
});

test('a stray quote inside an unquoted field names its line', async () => {
  expect(await failure(`UserPrincipalName,ObjectGUID,Name\ndoe@contoso.com,${G[1].guid},John "JJ" Doe\n`)).toBe(
    'idrecon: onprem.csv, line 2: broken CSV quoting: a double quote appears inside a field that is not quoted; a field that contains the delimiter, a double quote or a line break must be enclosed in double quotes, with quotes inside it doubled ("")\n',
  );
});

test('bytes that are not UTF-8 name the line and suggest the encoding', async () => {
  const latin1 = Buffer.from(`UserPrincipalName,ObjectGUID,Name\ndoe@contoso.com,${G[1].guid},Doe\nroe@contoso.com,${G[2].guid},M\xfcller\n`, 'latin1');
  expect(await failure(latin1)).toBe(
    'idrecon: onprem.csv, line 3: is not valid UTF-8 (byte 0xFC); it was probably saved in a Windows code page: re-save it as UTF-8 (Export-Csv -Encoding UTF8), or run again with --encoding windows-1252\n',
  );
});

test('UTF-16 without a byte order mark is recognised, not read as garbage', async () => {
  expect(await failure(Buffer.from(ONPREM, 'utf16le'))).toBe(
    'idrecon: onprem.csv, line 1: looks like UTF-16 text without a byte order mark; re-save it as UTF-8, or run again with --encoding utf-16le (or utf-16be)\n',
  );
});

test('an empty file has no header', async () => {
  expect(await failure('')).toBe(
    'idrecon: onprem.csv: the file has no header line; expected a CSV export with column names on the first line\n',
  );
});

test('a missing column lists the headers that were found', async () => {
  expect(await failure(ONPREM, 'id,mail,onPremisesImmutableId\nc1,doe@contoso.com,\n')).toBe(
    "idrecon: cloud.csv, line 1: no userPrincipalName column (looked for userPrincipalName, upn); headers found: 'id', 'mail', 'onPremisesImmutableId'; name it with --cloud-upn-column\n",
  );
});

test('two columns that could be the same field are not guessed between', async () => {
  expect(await failure(ONPREM, 'id,ObjectId,userPrincipalName,onPremisesImmutableId\nc1,c1,doe@contoso.com,\n')).toBe(
    "idrecon: cloud.csv, line 1: columns 'id' and 'ObjectId' both look like the object id column; name one with --cloud-id-column\n",
  );
});

test('GUIDs as 32 bare hex digits need --hex-order, named with line and column', async () => {
  const hex = G[1].guid.replace(/-/g, '');
  const bare = `UserPrincipalName,ObjectGUID\ndoe@contoso.com,${hex}\n`;
  expect(await failure(bare)).toBe(
    `idrecon: onprem.csv, line 2, column ObjectGUID: '${hex}' is 32 hex digits without dashes, which can be display order or stored byte order; run again with --hex-order display or --hex-order raw\n`,
  );
  const r = await reconcileInline(bare, CLOUD, ['--hex-order', 'display']);
  expect(r.code).toBe(0);
});

test('a file that does not exist is named', async () => {
  const dir = tempDir();
  const r = await cli(['reconcile', '--onprem', join(dir, 'nope.csv'), '--cloud', join(dir, 'nope2.csv'), '--out', join(dir, 'out')]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^idrecon: .*nope2?\.csv: cannot read the file \(no such file\); check the path\n$/);
});

test('missing required options and unknown statuses are usage errors', async () => {
  expect(await cli(['reconcile', '--onprem', 'a.csv', '--cloud', 'b.csv'])).toEqual({
    code: 2,
    stdout: '',
    stderr: "idrecon: --out: expected a folder name, got nothing\n",
  });
  expect((await cli(['reconcile', '--onprem', 'a', '--cloud', 'b', '--out', 'c', '--fail-on', 'mismatch,wrong'])).stderr).toBe(
    "idrecon: --fail-on: expected a comma-separated list of match, missing, mismatch, okta-anchored, onprem-only, cloud-only, duplicate, invalid, got 'wrong'\n",
  );
});

test('a failed run leaves the previous complete output untouched and no temporary files', async () => {
  const dir = tempDir();
  const out = join(dir, 'out');
  mkdirSync(out);
  writeFileSync(join(out, 'reconciliation.csv'), 'previous run\n');
  writeFileSync(join(dir, 'onprem.csv'), ONPREM);
  writeFileSync(join(dir, 'cloud.csv'), `${CLOUD}"broken,\n`);
  const r = await cli(['reconcile', '--onprem', join(dir, 'onprem.csv'), '--cloud', join(dir, 'cloud.csv'), '--out', out]);
  expect(r.code).toBe(2);
  expect(readFileSync(join(out, 'reconciliation.csv'), 'utf8')).toBe('previous run\n');
  expect(readdirSync(out)).toEqual(['reconciliation.csv']);
});
