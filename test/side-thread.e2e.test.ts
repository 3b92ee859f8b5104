/**
 * The command line starts a reconcile's second thread before it parses the options
 * (lib/reconcile/side-thread.ts); the thread then waits for the file to read. A run on that
 * thread ends as a run on one: the same message and exit code for an export it cannot use, and
 * no thread left to hold the process when one thread is enough.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, spawnCli, tempDir } from './helpers';

const CLOUD = join(ROOT, 'fixtures/cloud-users.csv');

test('an on-prem export without a UPN column is refused alike on the early thread and on one thread', () => {
  const dir = tempDir();
  const onprem = join(dir, 'onprem.csv');
  writeFileSync(onprem, 'ObjectGUID,SamAccountName\r\n0f4a5e2c-1b3d-4c5e-8f70-9a1b2c3d4e5f,u1\r\n');
  const run = (threads: string) => spawnCli(['reconcile', '--onprem', onprem, '--cloud', CLOUD, '--out', join(dir, `out-${threads}`), '--threads', threads]);
  const two = run('2');
  expect(two.code).toBe(2);
  expect(two.stderr).toMatch(new RegExp(`^idrecon: ${onprem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*UserPrincipalName.*\\n$`));
  expect(run('1')).toEqual(two);
});

test('a run on one thread stops the thread started early, so the process ends with its files written', () => {
  const dir = tempDir();
  // A thread left waiting would hold the process for ever: the timeout turns that into a failure.
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'idrecon.js'), 'reconcile', '--onprem', join(ROOT, 'fixtures/onprem-users.csv'), '--cloud', CLOUD, '--out', dir, '--threads', '1'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(readFileSync(join(dir, 'reconciliation.csv'), 'utf8')).toBe(readFileSync(join(ROOT, 'test/expected/fixtures-reconciliation.csv'), 'utf8'));
});
