/** idrecon apply as an admin runs it: the safeguards and what it says. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalTenant } from '../../lib/tenant/server';
import { cli, tempDir } from '../helpers';
import { SECRET } from '../tenant/harness';
import { approve, cliSignIn, fixturePlan, fixtureTenant, writeRows } from './harness';

let tenant: LocalTenant;
beforeEach(async () => {
  process.env.IDRECON_TEST_SECRET = SECRET;
  tenant = await fixtureTenant(undefined);
});
afterEach(() => tenant.close());

const signIn = () => cliSignIn(tenant);

test('more changes than --max-changes stop the run before anything is read or written', async () => {
  const dir = tempDir();
  const planFile = approve(await fixturePlan(dir), writeRows);
  const before = JSON.stringify(tenant.state.users);
  const r = await cli(['apply', '--plan', planFile, '--results', join(dir, 'results.csv'), '--execute', '--max-changes', '4', ...signIn()]);
  expect(r).toEqual({
    code: 3,
    stdout: '',
    stderr: `idrecon: ${planFile}: 6 users would be changed, more than --max-changes 4 allows (a safeguard against applying the wrong plan); nothing was written: check the plan, then run again with --max-changes 6\n`,
  });
  expect(JSON.stringify(tenant.state.users)).toBe(before);
  expect(existsSync(join(dir, 'results.csv'))).toBe(false);
});

test('a dry run, then the run, then the same results again without --resume', async () => {
  const dir = tempDir();
  const planFile = approve(await fixturePlan(dir), writeRows);
  const dry = await cli(['apply', '--plan', planFile, '--results', join(dir, 'results.csv'), ...signIn()]);
  expect(dry.code).toBe(0);
  expect(dry.stdout).toMatch(/^dry run of plan CHG0042: dry-run 6, skipped-unapproved 23 \(0 writes in \d+\.\d s\); results in .*results\.csv\nnothing was written: this was a dry run; add --execute to apply\n$/);
  const run = await cli(['apply', '--plan', planFile, '--results', join(dir, 'results.csv'), '--execute', ...signIn()]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^apply of plan CHG0042: applied 6, skipped-unapproved 23 \(12 writes in \d+\.\d s\); results in .*results\.csv\n$/);
  const again = await cli(['apply', '--plan', planFile, '--results', join(dir, 'results.csv'), '--execute', ...signIn()]);
  expect(again).toEqual({
    code: 2,
    stdout: '',
    stderr: `idrecon: ${join(dir, 'results.csv')}: these results belong to an executed run: continue it with --resume, or give another --results file\n`,
  });
});

test('an approved row edited since the plan was written is not applied, and the run says so', async () => {
  const dir = tempDir();
  const planFile = approve(await fixturePlan(dir), (r) => r.row === '1' || r.row === '2');
  writeFileSync(planFile, readFileSync(planFile, 'utf8').replace('Fpi7oYEDRF+iXlsNzgwx/w==', 'MXiqdGCsbEy88DxCsxC66g=='));
  const r = await cli(['apply', '--plan', planFile, '--results', join(dir, 'results.csv'), '--execute', ...signIn()]);
  expect(r.code).toBe(3);
  expect(r.stderr).toBe(
    `idrecon: 1 rows need attention (failed, rolled back, drifted, or approved but edited or malformed in the plan); see their message in ${join(dir, 'results.csv')}\n`,
  );
  expect(tenant.state.find('f9b92636-2b02-5cbd-a840-eb35e6ac5f7e')!.onPremisesImmutableId).toBe('obuYFgOBX0SiXlsNzgwx/w==');
});

test('a failed sign-in leaves nothing behind that would need --resume', async () => {
  const dir = tempDir();
  const planFile = approve(await fixturePlan(dir), writeRows);
  process.env.IDRECON_TEST_SECRET = 'wrong';
  const r = await cli(['apply', '--plan', planFile, '--results', join(dir, 'results.csv'), '--execute', ...signIn()]);
  expect(r.code).toBe(4);
  expect(existsSync(join(dir, 'results.csv'))).toBe(false);
  expect(existsSync(join(dir, 'results.csv.journal'))).toBe(false);
});

test('--resume belongs to executed runs, and a write budget must be above zero', async () => {
  expect((await cli(['apply', '--plan', 'p.csv', '--results', 'r.csv', '--resume', ...signIn()])).stderr).toBe(
    'idrecon: --resume: expected --execute as well: only an executed run can be resumed (a dry run is simply run again)\n',
  );
  expect((await cli(['apply', '--plan', 'p.csv', '--results', 'r.csv', '--write-budget', '0/150', ...signIn()])).stderr).toBe(
    "idrecon: --write-budget: expected WRITES/SECONDS with both above zero, e.g. 3000/150, got '0/150'\n",
  );
});
