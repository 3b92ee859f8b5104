/**
 * Users in a federated domain: the UPN goes to the staging UPN, the ImmutableID is set with the
 * UPN moved back, and when a step fails the UPN is put back, or the results say where it is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJournal } from '../../lib/apply/journal';
import { readResults } from '../../lib/formats/results';
import type { LocalTenant } from '../../lib/tenant/server';
import { tempDir } from '../helpers';
import { fastClock } from '../tenant/harness';
import { applyTo, approve, fixturePlan, fixtureTenant, userByUpn } from './harness';

const CAROL = 'fc89aecb-01f8-5eda-b459-7cb174e6fb37';
const carol = (tenant: LocalTenant) => tenant.state.find(CAROL)!;

test('when setting the ImmutableID fails, the UPN is moved back and the row is rolled-back', async () => {
  const clock = fastClock();
  const tenant = await fixtureTenant(clock);
  try {
    const dir = tempDir();
    const planFile = approve(await fixturePlan(dir), (r) => r.row === '1');
    // Since the plan, another account took carol's anchor: Graph refuses it as ObjectConflict.
    tenant.state.update(userByUpn(tenant, 'victor.vance@contoso.com'), { onPremisesImmutableId: 'JsdVWzXHKFyXgOBuTtCPew==' });
    const resultsFile = join(dir, 'results.csv');
    await applyTo(tenant, clock, { planFile, resultsFile });
    expect(carol(tenant)).toMatchObject({ userPrincipalName: 'carol.clark@contoso.com', onPremisesImmutableId: null });
    const row = (await readResults(resultsFile)).find((r) => r.row === '1')!;
    expect(row).toMatchObject({
      status: 'rolled-back',
      after_upn: 'carol.clark@contoso.com',
      after_immutable_id: '',
      http_status: '400',
      graph_error_code: 'Request_BadRequest',
      graph_error_message: 'Another object with the same value for property onPremisesImmutableId already exists.',
      attempts: '3',
      message: 'changing the ImmutableID failed, so the UPN was moved back to carol.clark@contoso.com: fix the cause, then run apply --resume to try again',
    });
  } finally {
    await tenant.close();
  }
});

test('a user the UPN cannot be moved back for is recorded on its staging UPN, and --resume repairs it', async () => {
  const clock = fastClock();
  let tenant: LocalTenant | undefined;
  let hijacked = false;
  // Someone renames another account to carol's UPN while she is on her staging UPN.
  const onChange = () => {
    if (!hijacked && carol(tenant!).userPrincipalName === 'carol.clark@contoso.onmicrosoft.com') {
      hijacked = true;
      tenant!.state.update(userByUpn(tenant!, 'victor.vance@contoso.com'), { userPrincipalName: 'carol.clark@contoso.com' });
    }
  };
  tenant = await fixtureTenant(clock, { onChange });
  try {
    const dir = tempDir();
    const planFile = approve(await fixturePlan(dir), (r) => r.row === '1');
    const resultsFile = join(dir, 'results.csv');
    const first = await applyTo(tenant, clock, { planFile, resultsFile });
    expect(first.counts.failed).toBe(1);
    expect(carol(tenant).userPrincipalName).toBe('carol.clark@contoso.onmicrosoft.com');
    expect((await readResults(resultsFile)).find((r) => r.row === '1')).toMatchObject({
      status: 'failed',
      after_upn: 'carol.clark@contoso.onmicrosoft.com',
      message:
        'changing the ImmutableID failed and moving the UPN back failed too (400 Request_BadRequest): the user is left on carol.clark@contoso.onmicrosoft.com; run apply --resume to repair it',
    });
    expect(readJournal(`${resultsFile}.journal`).rows.get(1)).toEqual(new Set(['begin', 'staged']));

    // The admin gives the other account its UPN back, then resumes.
    tenant.state.update(userByUpn(tenant, 'carol.clark@contoso.com'), { userPrincipalName: 'victor.vance@contoso.com' });
    const second = await applyTo(tenant, clock, { planFile, resultsFile, resume: true });
    expect(second.counts.applied).toBe(1);
    expect(carol(tenant)).toMatchObject({ userPrincipalName: 'carol.clark@contoso.com', onPremisesImmutableId: 'JsdVWzXHKFyXgOBuTtCPew==' });
    const rows = (await readResults(resultsFile)).filter((r) => r.row === '1');
    expect(rows.map((r) => [r.status, r.message])).toEqual([
      ['failed', expect.stringContaining('left on carol.clark@contoso.onmicrosoft.com')],
      ['applied', 'finished: an earlier attempt had left the user on the staging UPN'],
    ]);
    expect(readFileSync(`${resultsFile}.journal`, 'utf8').trim().split('\n').map((l) => JSON.parse(l).event)).toEqual(['plan', 'begin', 'staged', 'begin', 'end']);
  } finally {
    await tenant.close();
  }
});
