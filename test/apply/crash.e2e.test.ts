/**
 * apply killed with SIGKILL at random moments during a run of thousands of rows, and resumed
 * until it finishes: the tenant ends as if nothing had happened, no user is changed twice or left
 * on a staging UPN, and every plan row has its one outcome. npm test kills it 6 times; npm run
 * torture sets IDRECON_TORTURE_KILLS and IDRECON_TORTURE_USERS for the long run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readResults } from '../../lib/formats/results';
import { toImmutableId } from '../../lib/core/guid';
import { mulberry32 } from '../../lib/core/prng';
import { readDomainList } from '../../lib/formats/domains';
import { readCloudUsers } from '../../lib/formats/cloud-users';
import { ROOT, cli, tempDir } from '../helpers';
import { CLIENT_ID, SECRET, TENANT_ID, serve } from '../tenant/harness';
import { approve } from './harness';

jest.setTimeout(1_800_000);

const USERS = Number(process.env.IDRECON_TORTURE_USERS ?? 2_000);
const KILLS = Number(process.env.IDRECON_TORTURE_KILLS ?? 6);
const guidOf = (i: number) => `${(0x10000000 + i).toString(16)}-0000-4000-8000-${String(i).padStart(12, '0')}`;
const upnOf = (i: number) => `user${i}@${i % 3 === 0 ? 'fabrikam.com' : 'contoso.com'}`;

function writeExports(dir: string): void {
  const onprem = ['UserPrincipalName,ObjectGUID', ...Array.from({ length: USERS }, (_, i) => `${upnOf(i)},${guidOf(i)}`)];
  const cloud = ['id,userPrincipalName,displayName,onPremisesImmutableId,onPremisesSyncEnabled,mail', ...Array.from({ length: USERS }, (_, i) => `c${i},${upnOf(i)},User ${i},,,`)];
  writeFileSync(join(dir, 'onprem.csv'), `${onprem.join('\n')}\n`);
  writeFileSync(join(dir, 'cloud.csv'), `${cloud.join('\n')}\n`);
  writeFileSync(join(dir, 'domains.csv'), 'id,authenticationType,isInitial,isVerified\ncontoso.com,Managed,False,True\nfabrikam.com,Federated,False,True\ncontoso.onmicrosoft.com,Managed,True,True\n');
}

test('SIGKILL at random points, then --resume: exactly the uncrashed result', async () => {
  const dir = tempDir();
  writeExports(dir);
  const recon = await cli(['reconcile', '--onprem', join(dir, 'onprem.csv'), '--cloud', join(dir, 'cloud.csv'), '--out', dir, '--plan', '--domains', join(dir, 'domains.csv'), '--plan-id', 'CRASH']);
  expect(recon.code).toBe(0);
  const planFile = approve(join(dir, 'plan.csv'), () => true);
  const tenant = await serve({ users: await readCloudUsers(join(dir, 'cloud.csv')), domains: await readDomainList(join(dir, 'domains.csv')) });
  const immutableWrites = new Map<string, number>();
  const update = tenant.state.update.bind(tenant.state);
  tenant.state.update = (user, change) => {
    if (change.onPremisesImmutableId !== undefined) immutableWrites.set(user.id, (immutableWrites.get(user.id) ?? 0) + 1);
    update(user, change);
  };
  const results = join(dir, 'results.csv');
  const random = mulberry32(20261122);
  const run = (): ChildProcess =>
    spawn(
      process.execPath,
      [
        join(ROOT, 'bin/idrecon.js'),
        ...['apply', '--plan', planFile, '--results', results, '--execute', '--max-changes', String(USERS), '--write-budget', '1000000/1'],
        ...['--tenant-id', TENANT_ID, '--client-id', CLIENT_ID, '--graph-url', tenant.url, '--login-url', tenant.url],
        ...(existsSync(results) ? ['--resume'] : []),
      ],
      { env: { ...process.env, IDRECON_CLIENT_SECRET: SECRET }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
  try {
    // KILLS runs are killed part-way (each kill lands before the run could finish), the next completes.
    let kills = 0;
    for (let attempt = 0; attempt < KILLS + 34; attempt++) {
      const child = run();
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = once(child, 'exit');
      const killAt = kills < KILLS ? 300 + random() * 900 : Infinity;
      const timer = Number.isFinite(killAt) ? setTimeout(() => child.kill('SIGKILL'), killAt) : undefined;
      const [code, signal] = (await exited) as [number | null, string | null];
      clearTimeout(timer);
      if (signal === 'SIGKILL') {
        kills++;
        continue;
      }
      // The tenant's write budget throttles a long run: those retries are said on stderr, and nothing else.
      const said = stderr.split('\n').filter((l) => l !== '' && !/ answered 429( \(throttled\))?; retry \d+ of \d+ in /.test(l));
      expect({ code, said }).toEqual({ code: 0, said: [] });
      break;
    }
    expect(kills).toBe(KILLS);

    for (let i = 0; i < USERS; i++) {
      const u = tenant.state.find(`c${i}`)!;
      expect([u.userPrincipalName, u.onPremisesImmutableId]).toEqual([upnOf(i), toImmutableId(immutableRaw(i))]);
    }
    expect(tenant.state.users.filter((u) => u.userPrincipalName.endsWith('.onmicrosoft.com'))).toEqual([]);
    expect([...immutableWrites.values()].every((n) => n === 1)).toBe(true);
    expect(immutableWrites.size).toBe(USERS);
    const rows = await readResults(results);
    expect(rows.filter((r) => r.status === 'applied').map((r) => Number(r.row)).sort((a, b) => a - b)).toEqual(Array.from({ length: USERS }, (_, i) => i + 1));
    expect(rows).toHaveLength(USERS);
    if (process.env.IDRECON_TORTURE_KILLS) process.stdout.write(`apply torture: ${USERS} users, ${kills} SIGKILLs, 0 users on a staging UPN, ${immutableWrites.size} ImmutableIDs each written once\n`);
  } finally {
    await tenant.close();
  }
});

/** The ImmutableID of user i, from its GUID in stored byte order (first three groups reversed). */
function immutableRaw(i: number): Uint8Array {
  const hex = guidOf(i).replace(/-/g, '');
  const b = Buffer.from(hex, 'hex');
  return Uint8Array.from([b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], ...b.subarray(8)]);
}
