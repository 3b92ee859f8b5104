/**
 * The plan through a real spreadsheet: LibreOffice Calc opens it, an approver types approval
 * marks and edits one target cell (test/plan/edit-sheet.py, through LibreOffice's own API), and
 * the sheet is saved back as CSV the ways Calc and Excel save it. Needs soffice and python3-uno
 * (scripts/install-test-deps.sh).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPlan } from '../../lib/formats/plan';
import { ROOT, cli, tempDir } from '../helpers';

jest.setTimeout(120_000);

/** soffice --convert-to with a profile of its own, so conversions running side by side do not collide. */
function convert(file: string, to: string, outdir: string, infilter?: string): void {
  const profile = mkdtempSync(join(tmpdir(), 'lo-profile-'));
  const args = ['--headless', `-env:UserInstallation=file://${profile}`, ...(infilter ? [`--infilter=${infilter}`] : []), '--convert-to', to, '--outdir', outdir, file];
  execFileSync('soffice', args, { stdio: 'ignore' });
}

const editSheet = (file: string, edits: { row: number; column: string; value: string }[]) =>
  execFileSync('/usr/bin/python3', [join(ROOT, 'test/plan/edit-sheet.py'), file, JSON.stringify(edits)], { stdio: 'inherit' });

/** CSV filter options: delimiter, quote, character set (76 UTF-8, 65535 UTF-16), first line. */
const SAVED_AS = {
  'comma, UTF-8': 'csv:Text - txt - csv (StarCalc):44,34,76,1',
  'semicolon, UTF-8 (European locales)': 'csv:Text - txt - csv (StarCalc):59,34,76,1',
  'comma, UTF-16': 'csv:Text - txt - csv (StarCalc):44,34,65535,1',
};

describe('a plan approved in LibreOffice Calc', () => {
  const dir = tempDir();
  const planFile = join(dir, 'plan.csv');

  beforeAll(async () => {
    const r = await cli([
      'reconcile',
      ...['--onprem', join(ROOT, 'fixtures/onprem-users.csv'), '--cloud', join(ROOT, 'fixtures/cloud-users.csv'), '--out', dir],
      ...['--plan', '--plan-id', 'CHG0042', '--domains', join(ROOT, 'fixtures/domains.csv')],
    ]);
    expect(r.code).toBe(0);
    convert(planFile, 'xlsx', dir, 'CSV:44,34,76,1');
    editSheet(join(dir, 'plan.xlsx'), [
      { row: 1, column: 'approve', value: 'yes' },
      { row: 2, column: 'approve', value: 'yes' },
      { row: 2, column: 'target_immutable_id', value: 'dKp4MaxgTGy88DxCsxC66g==' },
      { row: 8, column: 'approve', value: 'X' },
      { row: 9, column: 'approve', value: 'Approved' },
    ]);
  });

  test.each(Object.entries(SAVED_AS))('saved as %s: marks are read, values are byte-identical, the edit is caught', async (_name, filter) => {
    const outdir = mkdtempSync(join(dir, 'saved-'));
    copyFileSync(join(dir, 'plan.xlsx'), join(outdir, 'approved.xlsx'));
    convert(join(outdir, 'approved.xlsx'), filter, outdir);
    const returned = join(outdir, 'approved.csv');

    const original = await readPlan(planFile);
    const back = await readPlan(returned);
    expect(back.rows.map((r) => [r.row, r.proposal])).toEqual(
      original.rows.map((r) => [r.row, r.row === 2 ? { ...r.proposal, targetImmutableId: 'dKp4MaxgTGy88DxCsxC66g==' } : r.proposal]),
    );
    expect(back.rows.find((r) => r.row === 8)!.proposal.targetImmutableId).toBe('+9kaGpXmXFWlO8l/IOLgyw==');
    expect(readFileSync(planFile, 'utf8')).toContain('"=""+9kaGpXmXFWlO8l/IOLgyw=="""');

    const verify = await cli(['plan', 'verify', returned]);
    expect(verify.code).toBe(3);
    expect(verify.stdout.replace(returned, 'approved.csv')).toBe(
      'plan CHG0042 (approved.csv): 29 rows\n  approved and intact  3\n  not approved         25\n  edited               1 (1 of them approved)\n  malformed            0\n' +
        '  line 3 (row 2, dan.davis@contoso.com): edited: its cells no longer match its row_hash: it was changed after the plan was written\n',
    );
  });
});
