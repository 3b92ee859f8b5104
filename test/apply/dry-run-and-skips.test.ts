/** What apply does without --execute, and with rows it must not write. */
import { existsSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readResults } from '../../lib/formats/results';
import { tempDir } from '../helpers';
import { fastClock } from '../tenant/harness';
import { applyTo, approve, fixturePlan, fixtureTenant, outcomes, userByUpn } from './harness';

test('a dry run reads every approved user, writes nothing, and says what it would do', async () => {
  const clock = fastClock();
  const tenant = await fixtureTenant(clock);
  try {
    const dir = tempDir();
    const planFile = approve(await fixturePlan(dir), (r) => ['1', '2', '3'].includes(r.row));
    const resultsFile = join(dir, 'dry.csv');
    const before = JSON.stringify(tenant.state.users);
    const summary = await applyTo(tenant, clock, { planFile, resultsFile, execute: false });
    expect(JSON.stringify(tenant.state.users)).toBe(before);
    expect(summary.writes).toBe(0);
    expect(existsSync(`${resultsFile}.journal`)).toBe(false);
    const rows = await readResults(resultsFile);
    expect(rows.filter((r) => r.status === 'dry-run').map((r) => [r.row, r.before_immutable_id, r.after_immutable_id, r.message])).toEqual([
      ['1', '', 'JsdVWzXHKFyXgOBuTtCPew==', 'would move the UPN to carol.clark@contoso.onmicrosoft.com, set the ImmutableID and move the UPN back'],
      ['2', 'obuYFgOBX0SiXlsNzgwx/w==', 'Fpi7oYEDRF+iXlsNzgwx/w==', 'would move the UPN to dan.davis@contoso.onmicrosoft.com, set the ImmutableID and move the UPN back'],
    ]);
    expect(rows.find((r) => r.row === '3')).toMatchObject({ status: 'skipped-review', message: 'review rows are never applied' });
    expect(rows).toHaveLength(29);
  } finally {
    await tenant.close();
  }
});

test('unapproved, edited and review rows are never written, and the tenant moving on is drift', async () => {
  const clock = fastClock();
  const tenant = await fixtureTenant(clock);
  try {
    const dir = tempDir();
    const planFile = approve(await fixturePlan(dir), (r) => ['1', '2', '3', '6', '8'].includes(r.row));
    // An approver edits row 6's target after approval: the hash no longer matches.
    writeFileSync(planFile, readFileSync(planFile, 'utf8').replace('yLkA+BkskVGThTGeV6a3Nw==', 'dKp4MaxgTGy88DxCsxC66g=='));
    // Since the plan: carol got her anchor by other means; dan's was changed to something else.
    tenant.state.update(userByUpn(tenant, 'carol.clark@contoso.com'), { onPremisesImmutableId: 'JsdVWzXHKFyXgOBuTtCPew==' });
    tenant.state.update(userByUpn(tenant, 'dan.davis@contoso.com'), { onPremisesImmutableId: 'MXiqdGCsbEy88DxCsxC66g==' });
    const resultsFile = join(dir, 'results.csv');
    const summary = await applyTo(tenant, clock, { planFile, resultsFile });
    expect((await outcomes(resultsFile)).slice(0, 9)).toEqual([
      '1 already-done',
      '2 skipped-drift',
      '3 skipped-review',
      '4 skipped-unapproved',
      '5 skipped-unapproved',
      '6 skipped-edited',
      '7 skipped-unapproved',
      '8 applied',
      '9 skipped-unapproved',
    ]);
    const rows = await readResults(resultsFile);
    expect(rows.find((r) => r.row === '2')!.message).toBe(
      "the ImmutableID is now 'MXiqdGCsbEy88DxCsxC66g==', the plan expected 'obuYFgOBX0SiXlsNzgwx/w==': reconcile and plan again",
    );
    expect(rows.find((r) => r.row === '6')!.message).toBe('its cells no longer match its row_hash: it was changed after the plan was written');
    expect(userByUpn(tenant, 'heidi.hill@contoso.com').onPremisesImmutableId).toBe('WJfICmBl/1yEYgRBQRiyhQ==');
    expect(userByUpn(tenant, 'judy.jones@contoso.com').onPremisesImmutableId).toBe('+9kaGpXmXFWlO8l/IOLgyw==');
    expect(summary.writes).toBe(2);
  } finally {
    await tenant.close();
  }
});

test('a user deleted since the plan was written is drift, and nothing is written', async () => {
  const clock = fastClock();
  const tenant = await fixtureTenant(clock);
  try {
    const dir = tempDir();
    const planFile = approve(await fixturePlan(dir), (r) => r.row === '1');
    tenant.state.remove(userByUpn(tenant, 'carol.clark@contoso.com'));
    const resultsFile = join(dir, 'results.csv');
    const summary = await applyTo(tenant, clock, { planFile, resultsFile });
    expect(summary.writes).toBe(0);
    expect((await readResults(resultsFile)).find((r) => r.row === '1')).toMatchObject({
      status: 'skipped-drift',
      http_status: '404',
      graph_error_code: 'Request_ResourceNotFound',
      message: 'the user no longer exists in the tenant: reconcile and plan again',
    });
  } finally {
    await tenant.close();
  }
});
