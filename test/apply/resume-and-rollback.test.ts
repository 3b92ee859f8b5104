/** Stopping part-way and resuming, and undoing a run with a rollback plan. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readResults } from '../../lib/formats/results';
import { cli, project, tempDir } from '../helpers';
import { fastClock } from '../tenant/harness';
import { applyTo, approve, fixturePlan, fixtureTenant, outcomes, writeRows } from './harness';

test('a run stopped by Ctrl-C leaves the rest for --resume, which does each row once', async () => {
  const clock = fastClock();
  const tenant = await fixtureTenant(clock);
  try {
    const dir = tempDir();
    const planFile = approve(await fixturePlan(dir), writeRows);
    const resultsFile = join(dir, 'results.csv');
    // Polled before the batch of rows and before each row: Ctrl-C after the second row started.
    let polls = 0;
    const first = await applyTo(tenant, clock, { planFile, resultsFile, concurrency: 1, stopRequested: () => ++polls > 3 });
    expect(first.counts.applied).toBe(2);
    expect(first.notStarted).toBe(4);
    const second = await applyTo(tenant, clock, { planFile, resultsFile, resume: true });
    expect(second.counts.applied).toBe(4);
    expect(second.notStarted).toBe(0);
    const rows = await readResults(resultsFile);
    expect(rows).toHaveLength(29);
    expect(new Set(rows.map((r) => r.row)).size).toBe(29);
    expect((await outcomes(resultsFile)).filter((l) => l.endsWith(' applied'))).toHaveLength(6);
  } finally {
    await tenant.close();
  }
});

test('a rollback plan, approved and applied, puts every ImmutableID back', async () => {
  const clock = fastClock();
  const tenant = await fixtureTenant(clock);
  try {
    const dir = tempDir();
    const original = JSON.stringify(tenant.state.users);
    const planFile = approve(await fixturePlan(dir), writeRows);
    await applyTo(tenant, clock, { planFile, resultsFile: join(dir, 'results.csv') });
    expect(JSON.stringify(tenant.state.users)).not.toBe(original);

    const r = await cli(['rollback', '--results', join(dir, 'results.csv'), '--out', join(dir, 'rollback.csv'), '--plan-id', 'RB1']);
    expect(r).toEqual({ code: 0, stderr: '', stdout: `rollback plan RB1: 6 rows in ${join(dir, 'rollback.csv')}; approve and verify it, then apply it like any plan\n` });
    const rollbackPlan = approve(join(dir, 'rollback.csv'), () => true);
    const undone = await applyTo(tenant, clock, { planFile: rollbackPlan, resultsFile: join(dir, 'rollback-results.csv') });
    expect(undone.counts.applied).toBe(6);
    expect(JSON.stringify(tenant.state.users)).toBe(original);
  } finally {
    await tenant.close();
  }
});

test('a write that landed just before a crash is confirmed on resume, and still rolls back to the original', async () => {
  const clock = fastClock();
  const tenant = await fixtureTenant(clock);
  try {
    const dir = tempDir();
    const planFile = approve(await fixturePlan(dir), (r) => r.row === '2');
    const resultsFile = join(dir, 'results.csv');
    await applyTo(tenant, clock, { planFile, resultsFile });
    // The crash came after Graph took the write and before its results line and 'end' were written.
    const lines = readFileSync(resultsFile, 'utf8').split('\r\n');
    writeFileSync(resultsFile, lines.filter((l) => !l.startsWith('CHG0042,2,')).join('\r\n'));
    writeFileSync(`${resultsFile}.journal`, readFileSync(`${resultsFile}.journal`, 'utf8').split('\n').filter((l) => !l.includes('"end"')).join('\n'));

    const resumed = await applyTo(tenant, clock, { planFile, resultsFile, resume: true });
    expect(resumed.writes).toBe(0);
    const row = (await readResults(resultsFile)).find((r) => r.row === '2')!;
    expect(row).toMatchObject({
      status: 'applied',
      before_immutable_id: 'obuYFgOBX0SiXlsNzgwx/w==',
      after_immutable_id: 'Fpi7oYEDRF+iXlsNzgwx/w==',
      message: 'written before the interruption; confirmed by a fresh read on resume',
    });
    await cli(['rollback', '--results', resultsFile, '--out', join(dir, 'rollback.csv'), '--plan-id', 'RB1']);
    expect(project(readFileSync(join(dir, 'rollback.csv'), 'utf8'), ['upn', 'current_immutable_id', 'target_immutable_id'])).toBe(
      'upn,current_immutable_id,target_immutable_id\ndan.davis@contoso.com,Fpi7oYEDRF+iXlsNzgwx/w==,obuYFgOBX0SiXlsNzgwx/w==\n',
    );
  } finally {
    await tenant.close();
  }
});

test('a rolled-back row tried again by --resume is already-done, not claimed, when someone fixed it meanwhile', async () => {
  const clock = fastClock();
  const tenant = await fixtureTenant(clock);
  try {
    const dir = tempDir();
    const planFile = approve(await fixturePlan(dir), (r) => r.row === '2');
    const dan = tenant.state.find('f9b92636-2b02-5cbd-a840-eb35e6ac5f7e')!;
    // The target is taken by another account, so the first run fails for dan.
    tenant.state.update(tenant.state.findByUpn('victor.vance@contoso.com')!, { onPremisesImmutableId: 'Fpi7oYEDRF+iXlsNzgwx/w==' });
    const resultsFile = join(dir, 'results.csv');
    await applyTo(tenant, clock, { planFile, resultsFile });
    expect((await readResults(resultsFile)).find((r) => r.row === '2')!.status).toBe('rolled-back');
    // An admin fixes dan by hand before resuming.
    tenant.state.update(tenant.state.findByUpn('victor.vance@contoso.com')!, { onPremisesImmutableId: null });
    tenant.state.update(dan, { onPremisesImmutableId: 'Fpi7oYEDRF+iXlsNzgwx/w==' });
    const resumed = await applyTo(tenant, clock, { planFile, resultsFile, resume: true });
    expect(resumed.counts['already-done']).toBe(1);
    expect(resumed.counts.applied).toBe(0);
  } finally {
    await tenant.close();
  }
});
