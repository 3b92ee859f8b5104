/**
 * Apply against the local tenant seeded from the bundled fixtures (contoso.com federated): the
 * plan made by reconcile --plan from the same fixtures, approved the way a reviewer does it,
 * then applied through real MSAL, the real Graph client and real HTTP.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { type ApplyOptions, type ApplySummary, applyPlan } from '../../lib/apply/run';
import { type ResultRow, readResults } from '../../lib/formats/results';
import type { Clock } from '../../lib/graph/clock';
import type { LocalTenant, TenantOptions } from '../../lib/tenant/server';
import { readDomainList } from '../../lib/formats/domains';
import { type CloudUser, readCloudUsers } from '../../lib/formats/cloud-users';
import { ROOT, cli } from '../helpers';
import { CLIENT_ID, TENANT_ID, credentials, serve } from '../tenant/harness';

export const FIXTURES = { onprem: join(ROOT, 'fixtures/onprem-users.csv'), cloud: join(ROOT, 'fixtures/cloud-users.csv'), domains: join(ROOT, 'fixtures/domains.csv') };

export async function fixtureTenant(clock: Clock | undefined, options: Partial<TenantOptions> = {}): Promise<LocalTenant> {
  return serve({ users: await readCloudUsers(FIXTURES.cloud), domains: await readDomainList(FIXTURES.domains), ...options }, clock);
}

/** The sign-in options of idrecon's command line for `tenant`, the secret read from IDRECON_TEST_SECRET. */
export const cliSignIn = (tenant: LocalTenant): string[] => [
  '--tenant-id', TENANT_ID, '--client-id', CLIENT_ID, '--client-secret-env', 'IDRECON_TEST_SECRET', '--graph-url', tenant.url, '--login-url', tenant.url,
];

/** reconcile --plan on the fixtures; returns the plan file. */
export async function fixturePlan(dir: string, planId = 'CHG0042'): Promise<string> {
  const r = await cli(['reconcile', '--onprem', FIXTURES.onprem, '--cloud', FIXTURES.cloud, '--out', dir, '--plan', '--domains', FIXTURES.domains, '--plan-id', planId]);
  if (r.code !== 0) throw new Error(r.stderr);
  return join(dir, 'plan.csv');
}

/** Writes a copy of the plan with `yes` in the approve cell of the rows `approve` picks. */
export function approve(planFile: string, pick: (row: Record<string, string>) => boolean, out = planFile.replace(/\.csv$/, '-approved.csv')): string {
  const records = parse(readFileSync(planFile, 'utf8'), { bom: true }) as string[][];
  const header = records[0];
  for (const record of records.slice(1)) {
    const row = Object.fromEntries(header.map((h, i) => [h, record[i]]));
    if (pick(row)) record[header.indexOf('approve')] = 'yes';
  }
  writeFileSync(out, `\ufeff${stringify(records, { record_delimiter: 'windows' })}`);
  return out;
}

export const writeRows = (row: Record<string, string>): boolean => row.action !== 'review';

export function applyTo(tenant: LocalTenant, clock: Clock, o: Partial<ApplyOptions> & Pick<ApplyOptions, 'planFile' | 'resultsFile'>): Promise<ApplySummary> {
  return applyPlan({
    execute: true,
    resume: false,
    maxChanges: 500,
    concurrency: 4,
    credentials: credentials(tenant),
    graphUrl: tenant.url,
    clock,
    stopRequested: () => false,
    ...o,
  });
}

/** The results as `row status` lines in plan order, the last line of a row being its outcome. */
export async function outcomes(resultsFile: string): Promise<string[]> {
  const last = new Map<number, ResultRow>();
  for (const r of await readResults(resultsFile)) last.set(Number(r.row), r);
  return [...last.entries()].sort(([a], [b]) => a - b).map(([row, r]) => `${row} ${r.status}`);
}

export const userByUpn = (tenant: LocalTenant, upn: string): CloudUser => tenant.state.findByUpn(upn)!;
