/**
 * Every way reconcile can read the same users gives the same files: on one thread or two (worker
 * threads reading, classifying and writing; 20,000 users make two blocks of on-prem rows, which either thread may take), UTF-8 read as bytes or UTF-16 decoded first, GUIDs in the display form read straight
 * from bytes or in another spelling read through the text rules. The built CLI, as an admin runs it.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { generate } from '../bench/generate';
import { ROOT, spawnCli, tempDir } from './helpers';

const OUTPUTS = ['reconciliation.csv', 'rejects.csv', 'summary.json', 'report.html'];
/** When a run started (summary.json's ran_at, shown in the report) is the one thing that differs by design. */
const RAN_AT = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;

function reconcile(onprem: string, cloud: string, extra: string[] = []): Record<string, string> {
  const out = tempDir();
  const r = spawnCli(['reconcile', '--onprem', onprem, '--cloud', cloud, '--out', out, ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return Object.fromEntries(OUTPUTS.map((f) => [f, readFileSync(join(out, f), 'utf8').replace(RAN_AT, '<ran_at>')]));
}

test('two threads and one give byte-identical files, on the fixtures and on 20,000 generated users', async () => {
  const fixtures = ['fixtures/onprem-users.csv', 'fixtures/cloud-users.csv'] as const;
  const two = reconcile(...fixtures, ['--threads', '2']);
  expect(two['reconciliation.csv']).toBe(readFileSync(join(ROOT, 'test/expected/fixtures-reconciliation.csv'), 'utf8'));
  expect(two).toEqual(reconcile(...fixtures, ['--threads', '1']));

  const dir = tempDir();
  await generate(20_000, 7, join(dir, 'onprem.csv'), join(dir, 'cloud.csv'));
  const one = reconcile(join(dir, 'onprem.csv'), join(dir, 'cloud.csv'), ['--threads', '1']);
  expect(JSON.parse(one['summary.json'])).toMatchObject({ balanced: true, inputs: { onprem: { rows: 20_000 } } });
  expect(reconcile(join(dir, 'onprem.csv'), join(dir, 'cloud.csv'), ['--threads', '2'])).toEqual(one);
});

test('with addresses in both exports (soft match on SMTP), two threads and one give byte-identical files', async () => {
  const dir = tempDir();
  await generate(20_000, 11, join(dir, 'onprem.csv'), join(dir, 'cloud.csv'));
  // Every on-prem user gets a mail column: its UPN, so unmatched users soft-match cloud users with that mail.
  const [typeLine, ...rest] = readFileSync(join(dir, 'onprem.csv'), 'utf8').split('\r\n');
  const rows = parse(rest.join('\r\n'), { relax_column_count: true }) as string[][];
  const upn = rows[0].indexOf('UserPrincipalName');
  const withMail = rows.map((r, i) => [...r, i === 0 ? 'mail' : r[upn].toLowerCase()]);
  writeFileSync(join(dir, 'onprem-mail.csv'), `${typeLine}\r\n${stringify(withMail, { quoted: true, record_delimiter: '\r\n' })}`);
  const one = reconcile(join(dir, 'onprem-mail.csv'), join(dir, 'cloud.csv'), ['--threads', '1']);
  expect(JSON.parse(one['summary.json']).entra_connect['soft-match']).toBeGreaterThan(0);
  expect(reconcile(join(dir, 'onprem-mail.csv'), join(dir, 'cloud.csv'), ['--threads', '2'])).toEqual(one);
});

test('UTF-16 and other GUID spellings read to the same reconciliation as plain UTF-8', () => {
  const plain = readFileSync(join(ROOT, 'fixtures/onprem-users.csv'), 'utf8');
  const braced = plain.replace(/"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/g, '"{$1}"');
  expect(braced).not.toBe(plain);
  const utf16 = join(tempDir(), 'onprem');
  mkdirSync(utf16);
  writeFileSync(join(utf16, 'onprem-users.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(braced, 'utf16le')]));
  const cloud = join(ROOT, 'fixtures/cloud-users.csv');
  const expected = reconcile(join(ROOT, 'fixtures/onprem-users.csv'), cloud);
  for (const threads of ['1', '2']) {
    const got = reconcile(join(utf16, 'onprem-users.csv'), cloud, ['--threads', threads]);
    expect(got['reconciliation.csv']).toBe(expected['reconciliation.csv']);
    expect(got['rejects.csv']).toBe(expected['rejects.csv'].replaceAll(join(ROOT, 'fixtures'), utf16));
  }
});

test('an error in a file read on a worker thread is the same one-line error, and nothing is written', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'cloud.csv'), 'id,userPrincipalName,onPremisesImmutableId\nc1,"doe@contoso.com,\n');
  const out = join(dir, 'out');
  const r = spawnCli(['reconcile', '--onprem', 'fixtures/onprem-users.csv', '--cloud', join(dir, 'cloud.csv'), '--out', out, '--threads', '2']);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(
    `idrecon: ${join(dir, 'cloud.csv')}, line 2: broken CSV quoting: a quoted field starts on this line and is never closed; a field that contains the delimiter, a double quote or a line break must be enclosed in double quotes, with quotes inside it doubled ("")\n`,
  );
  expect(() => readFileSync(join(out, 'reconciliation.csv'))).toThrow();
});
