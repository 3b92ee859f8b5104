/**
 * apply and an admin's mistakes: results over the plan, a missing folder, a folder for a file,
 * nothing approved, another plan given to --resume, and a user already on its staging UPN.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalTenant } from '../../lib/tenant/server';
import { cli, tempDir } from '../helpers';
import { SECRET } from '../tenant/harness';
import { FIXTURES, approve, cliSignIn, fixturePlan, fixtureTenant, userByUpn, writeRows } from './harness';

let tenant: LocalTenant;
beforeEach(async () => {
  process.env.IDRECON_TEST_SECRET = SECRET;
  tenant = await fixtureTenant(undefined);
});
afterEach(() => tenant.close());

const signIn = () => cliSignIn(tenant);

test('--results equal to --plan is refused before anything is read, and the plan is untouched', async () => {
  const dir = tempDir();
  const planFile = approve(await fixturePlan(dir), writeRows);
  const before = readFileSync(planFile, 'utf8');
  const r = await cli(['apply', '--plan', planFile, '--results', join(dir, '.', 'plan-approved.csv'), '--execute', ...signIn()]);
  expect(r).toEqual({
    code: 2,
    stdout: '',
    stderr: `idrecon: ${join(dir, 'plan-approved.csv')}: --results: expected another file than --plan: the approved plan is the change record and is never overwritten\n`,
  });
  expect(readFileSync(planFile, 'utf8')).toBe(before);
});

test('a results file in a folder that does not exist: the folder is made', async () => {
  const dir = tempDir();
  const planFile = approve(await fixturePlan(dir), writeRows);
  const results = join(dir, 'runs', 'today', 'results.csv');
  const r = await cli(['apply', '--plan', planFile, '--results', results, ...signIn()]);
  expect(r.code).toBe(0);
  expect(existsSync(results)).toBe(true);
});

test('a folder given as the results file is exit 2, saying what to do', async () => {
  const dir = tempDir();
  const planFile = approve(await fixturePlan(dir), writeRows);
  mkdirSync(join(dir, 'results'));
  const r = await cli(['apply', '--plan', planFile, '--results', join(dir, 'results'), ...signIn()]);
  expect(r).toEqual({ code: 2, stdout: '', stderr: `idrecon: ${join(dir, 'results')}: this is a folder: give a file name, for example inside that folder\n` });
});

test('a plan with no approved rows is a warning, not silence', async () => {
  const dir = tempDir();
  const planFile = await fixturePlan(dir);
  const r = await cli(['apply', '--plan', planFile, '--results', join(dir, 'results.csv'), ...signIn()]);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe(
    `idrecon: warning: ${planFile} has no approved rows, so there is nothing to apply: write yes in the approve column of the rows to change, then run idrecon plan verify\n`,
  );
});

test('--resume with a plan re-made under the same plan id is refused', async () => {
  const dir = tempDir();
  const planFile = approve(await fixturePlan(dir), writeRows);
  const results = join(dir, 'results.csv');
  // The run is interrupted after two rows.
  tenant.state.update(userByUpn(tenant, 'victor.vance@contoso.com'), { onPremisesImmutableId: 'JsdVWzXHKFyXgOBuTtCPew==' });
  expect((await cli(['apply', '--plan', planFile, '--results', results, '--execute', ...signIn()])).code).toBe(3);
  // The same plan id, other rows: clear instead of set.
  const other = join(dir, 'other');
  const remade = await cli(['reconcile', '--onprem', FIXTURES.onprem, '--cloud', FIXTURES.cloud, '--out', other, '--plan', '--domains', FIXTURES.domains, '--plan-id', 'CHG0042', '--clear-instead-of-set']);
  expect(remade.code).toBe(0);
  const otherPlan = approve(join(other, 'plan.csv'), writeRows);
  const before = JSON.stringify(tenant.state.users);
  const r = await cli(['apply', '--plan', otherPlan, '--results', results, '--execute', '--resume', ...signIn()]);
  expect(r).toEqual({
    code: 2,
    stdout: '',
    stderr: `idrecon: ${otherPlan}: this plan is not the one the run began with (rows 1, 2, 6, 8, 9, ... differ): resume with the plan file that run used, or start a new run with another --results file\n`,
  });
  expect(JSON.stringify(tenant.state.users)).toBe(before);
});

test('a user found on its staging UPN: a dry run exits 3 naming it, and --execute finishes it', async () => {
  const dir = tempDir();
  const planFile = approve(await fixturePlan(dir), (row) => row.row === '1');
  // An earlier run, whatever it recorded, left carol on her staging UPN.
  tenant.state.update(userByUpn(tenant, 'carol.clark@contoso.com'), { userPrincipalName: 'carol.clark@contoso.onmicrosoft.com' });
  const results = join(dir, 'results.csv');
  const dry = await cli(['apply', '--plan', planFile, '--results', results, ...signIn()]);
  expect(dry.code).toBe(3);
  expect(dry.stderr).toBe(
    `idrecon: 1 users are (or may be) on their staging UPN and cannot sign in: carol.clark@contoso.com; repair them with: idrecon apply --plan ${planFile} --results ${results} --execute --resume (and the same sign-in options)\n`,
  );
  const run = await cli(['apply', '--plan', planFile, '--results', join(dir, 'run.csv'), '--execute', ...signIn()]);
  expect(run.code).toBe(0);
  expect(userByUpn(tenant, 'carol.clark@contoso.com').onPremisesImmutableId).toBe('JsdVWzXHKFyXgOBuTtCPew==');
});

test('rollback into a folder, or over its own results, is exit 2 saying what to do', async () => {
  const dir = tempDir();
  const planFile = approve(await fixturePlan(dir), writeRows);
  const results = join(dir, 'results.csv');
  expect((await cli(['apply', '--plan', planFile, '--results', results, '--execute', ...signIn()])).code).toBe(0);
  expect(await cli(['rollback', '--results', results, '--out', dir])).toEqual({
    code: 2,
    stdout: '',
    stderr: `idrecon: ${dir}: cannot write the file (a folder has that name); free the name or choose another place, then run again\n`,
  });
  expect(await cli(['rollback', '--results', results, '--out', results])).toEqual({
    code: 2,
    stdout: '',
    stderr: `idrecon: ${results}: --out: expected another file than --results: the results are the record of what was applied\n`,
  });
});
