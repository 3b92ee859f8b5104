/**
 * A plan that comes back from the change board: approval marks are read, edits are caught, and
 * what a spreadsheet does to a CSV (delimiter, encoding, column order, empty rows) changes nothing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { G } from '../guids';
import { cli, csv } from '../helpers';
import { planInline, verifyText } from './helpers';

const ONPREM = csv(`
  UserPrincipalName,ObjectGUID
  a@contoso.com,${G[1].guid}
  b@contoso.com,${G[2].guid}
  c@contoso.com,${G[3].guid}
  d@contoso.com,${G[4].guid}
`);
const CLOUD = csv(`
  id,userPrincipalName,onPremisesImmutableId
  c1,a@contoso.com,
  c2,b@contoso.com,${G[2].displayOrder}
  c3,c@contoso.com,
  c4,d@contoso.com,${G[5].id}
`);

async function plan() {
  const r = await planInline(ONPREM, CLOUD, ['--federated-domains', 'none']);
  expect(r.code).toBe(0);
  return { dir: r.dir, records: parse(r.plan, { bom: true }) as string[][] };
}

const approveAt = (records: string[][]) => records[0].indexOf('approve');
const write = (records: string[][], opts: { delimiter?: string } = {}) => `\ufeff${stringify(records, { record_delimiter: 'windows', ...opts })}`;

test('a fresh plan verifies: nothing approved, nothing edited', async () => {
  const { dir, records } = await plan();
  expect(await verifyText(dir, write(records))).toEqual({
    code: 0,
    stderr: '',
    stdout: 'plan CHG0042 (returned.csv): 4 rows\n  approved and intact  0\n  not approved         4\n  edited               0\n  malformed            0\n',
  });
});

test.each(['yes', 'Y', ' TRUE ', '1', 'x', 'Approved'])('%j approves a row', async (mark) => {
  const { dir, records } = await plan();
  records[1][approveAt(records)] = mark;
  expect((await verifyText(dir, write(records))).stdout).toContain('  approved and intact  1\n  not approved         3\n');
});

test('any other approval mark is malformed, named by line, and fails verification', async () => {
  const { dir, records } = await plan();
  records[2][approveAt(records)] = 'maybe';
  expect(await verifyText(dir, write(records))).toEqual({
    code: 3,
    stdout:
      'plan CHG0042 (returned.csv): 4 rows\n  approved and intact  0\n  not approved         3\n  edited               0\n  malformed            1\n' +
      "  line 3 (row 2, b@contoso.com): malformed: approve is 'maybe': expected empty or one of yes, y, true, 1, x, approved\n",
    stderr: 'idrecon: returned.csv: 0 approved rows were edited and 1 rows are malformed: they will not be applied; re-create the plan or fix the rows named above\n',
  });
});

test('an approved row whose target was edited is caught; an edited row nobody approved is only reported', async () => {
  const { dir, records } = await plan();
  const target = records[0].indexOf('target_immutable_id');
  records[1][approveAt(records)] = 'yes';
  records[1][target] = G.stranger.id;
  records[3][records[0].indexOf('action')] = 'clear-immutable-id';
  const r = await verifyText(dir, write(records));
  expect(r.code).toBe(3);
  expect(r.stdout).toBe(
    'plan CHG0042 (returned.csv): 4 rows\n  approved and intact  0\n  not approved         2\n  edited               2 (1 of them approved)\n  malformed            0\n' +
      '  line 2 (row 1, a@contoso.com): edited: its cells no longer match its row_hash: it was changed after the plan was written\n' +
      '  line 4 (row 3, c@contoso.com): edited: its cells no longer match its row_hash: it was changed after the plan was written\n',
  );
});

test('rows copied twice or moved from another plan are malformed', async () => {
  const { dir, records } = await plan();
  const other = await planInline(ONPREM, CLOUD, ['--federated-domains', 'none', '--plan-id', 'CHG0099']);
  const foreign = (parse(other.plan, { bom: true }) as string[][])[4];
  const r = await verifyText(dir, write([...records.slice(0, 4), foreign, records[1]]));
  expect(r.stdout).toBe(
    'plan CHG0042 (returned.csv): 5 rows\n  approved and intact  0\n  not approved         3\n  edited               0\n  malformed            2\n' +
      '  line 5 (row 4, d@contoso.com): malformed: the row belongs to plan CHG0099, not CHG0042: rows cannot be moved between plans\n' +
      '  line 6 (row 1, a@contoso.com): malformed: row 1 appears twice: keep one copy\n',
  );
  expect(r.code).toBe(3);
});

test('semicolons, UTF-16, moved and extra columns, and empty rows read back the same', async () => {
  const { dir, records } = await plan();
  records[1][approveAt(records)] = 'yes';
  const moved = records.map((r) => ['note', ...r.slice().reverse()].map((f, i) => (i === 0 && r !== records[0] ? 'looked fine' : f)));
  const text = `${stringify(moved, { delimiter: ';', record_delimiter: 'windows' })};;;\r\n\r\n`;
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  expect(await verifyText(dir, utf16)).toEqual({
    code: 0,
    stderr: '',
    stdout: 'plan CHG0042 (returned.csv): 4 rows\n  approved and intact  1\n  not approved         3\n  edited               0\n  malformed            0\n',
  });
});

test('an approval on a review row is counted apart: apply never writes review rows', async () => {
  const r = await planInline(
    csv(`
      UserPrincipalName,ObjectGUID
      a@contoso.com,${G[1].guid}
    `),
    csv(`
      id,userPrincipalName,onPremisesImmutableId
      c1,a@contoso.com,E1234
    `),
    ['--federated-domains', 'none'],
  );
  const records = parse(r.plan, { bom: true }) as string[][];
  records[1][approveAt(records)] = 'yes';
  expect((await verifyText(r.dir, write(records))).stdout).toBe(
    'plan CHG0042 (returned.csv): 1 rows\n  approved and intact  0\n  approved review rows 1 (never applied: a person acts on them)\n  not approved         0\n  edited               0\n  malformed            0\n',
  );
});

test('a foreign row at the top does not make the genuine rows look foreign', async () => {
  const { dir, records } = await plan();
  const other = await planInline(ONPREM, CLOUD, ['--federated-domains', 'none', '--plan-id', 'CHG0099']);
  const foreign = (parse(other.plan, { bom: true }) as string[][])[1];
  const r = await verifyText(dir, write([records[0], foreign, ...records.slice(1)]));
  expect(r.stdout).toContain('  malformed            1\n  line 2 (row 1, a@contoso.com): malformed: the row belongs to plan CHG0099, not CHG0042: rows cannot be moved between plans\n');
});

test("a plan Excel saved as 'CSV' in the Windows code page is read with --encoding windows-1252", async () => {
  const { dir, records } = await plan();
  records[1][approveAt(records)] = 'Oui, approuvé';
  const file = join(dir, 'ansi.csv');
  writeFileSync(file, Buffer.from(stringify(records, { record_delimiter: 'windows' }), 'latin1'));
  const plain = await cli(['plan', 'verify', file]);
  expect(plain.stderr).toContain('is not valid UTF-8 (byte 0xE9); it was probably saved in a Windows code page');
  const r = await cli(['plan', 'verify', '--encoding', 'windows-1252', file]);
  expect(r.stdout).toContain("malformed: approve is 'Oui, approuvé': expected empty or one of yes, y, true, 1, x, approved\n");
});
