/**
 * Apply throughput against the local tenant with Graph's default write budget (3,000 writes per
 * 150 s): N managed users missing their ImmutableID, planned, approved and applied by the built
 * CLI as a whole process. Reported as writes per second and as a fraction of the budget's rate.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { toDisplay } from '../lib/core/guid';
import { mulberry32 } from '../lib/core/prng';
import { startTenant } from '../lib/tenant/server';
import { readCloudUsers } from '../lib/formats/cloud-users';

const CLI = join(__dirname, '..', '..', 'bin', 'idrecon.js');
const APP = { tenantId: '00000000-0000-4000-8000-00000000d1d0', clientId: '00000000-0000-4000-8000-0000000a9901', secret: 'bench-secret' };
const BUDGET = { limit: 3_000, windowMs: 150_000 };

async function run(args: string[]): Promise<{ code: number; stdout: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, IDRECON_CLIENT_SECRET: APP.secret }, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const [code] = (await once(child, 'exit')) as [number];
  return { code, stdout, ms: Date.now() - started };
}

export interface ApplyBench {
  users: number;
  writes: number;
  seconds: number;
  fraction: number;
  failed: number;
}

export async function benchApply(users: number, dir: string): Promise<ApplyBench> {
  const rand = mulberry32(7);
  const guid = () => toDisplay(Uint8Array.from({ length: 16 }, () => Math.floor(rand() * 256)));
  const rows = Array.from({ length: users }, (_, i) => ({ upn: `user${i}@contoso.com`, guid: guid(), id: guid() }));
  writeFileSync(join(dir, 'onprem.csv'), `UserPrincipalName,ObjectGUID\n${rows.map((r) => `${r.upn},${r.guid}`).join('\n')}\n`);
  writeFileSync(join(dir, 'cloud.csv'), `id,userPrincipalName,onPremisesImmutableId\n${rows.map((r) => `${r.id},${r.upn},`).join('\n')}\n`);
  const planned = await run(['reconcile', '--onprem', join(dir, 'onprem.csv'), '--cloud', join(dir, 'cloud.csv'), '--out', dir, '--plan', '--federated-domains', 'none', '--plan-id', 'BENCH']);
  if (planned.code !== 0) throw new Error('reconcile --plan failed');
  const records = parse(readFileSync(join(dir, 'plan.csv'), 'utf8'), { bom: true }) as string[][];
  for (const r of records.slice(1)) r[records[0].indexOf('approve')] = 'yes';
  writeFileSync(join(dir, 'approved.csv'), `\ufeff${stringify(records, { record_delimiter: 'windows' })}`);

  const tenant = await startTenant({ users: await readCloudUsers(join(dir, 'cloud.csv')), app: APP, throttle: { writes: BUDGET } });
  try {
    const signIn = ['--tenant-id', APP.tenantId, '--client-id', APP.clientId, '--graph-url', tenant.url, '--login-url', tenant.url];
    const applied = await run(['apply', '--plan', join(dir, 'approved.csv'), '--results', join(dir, 'results.csv'), '--execute', '--max-changes', String(users), ...signIn]);
    const writes = Number(/\((\d+) writes in/.exec(applied.stdout)?.[1] ?? 0);
    const failed = Number(/failed (\d+)/.exec(applied.stdout)?.[1] ?? 0);
    const seconds = applied.ms / 1000;
    return { users, writes, seconds, fraction: writes / seconds / (BUDGET.limit / (BUDGET.windowMs / 1000)), failed };
  } finally {
    await tenant.close();
  }
}
