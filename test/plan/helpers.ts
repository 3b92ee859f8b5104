/** Plans made the way an admin makes them: reconcile real files, then plan, in-process. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CliResult, cli, reconcileInline } from '../helpers';

export const PLAN_ID = 'CHG0042';

export interface Planned extends CliResult {
  dir: string;
  plan: string;
}

/** Reconciles the two exports with --plan and the given plan options; the plan text comes back. */
export async function planInline(onprem: string, cloud: string, planArgs: string[]): Promise<Planned> {
  const id = planArgs.includes('--plan-id') ? [] : ['--plan-id', PLAN_ID];
  const r = await reconcileInline(onprem, cloud, ['--plan', ...id, ...planArgs]);
  let plan = '';
  try {
    plan = readFileSync(join(r.dir, 'out', 'plan.csv'), 'utf8');
  } catch {
    // no plan written: the caller checks code and stderr
  }
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, dir: r.dir, plan };
}

/** Writes a plan text to a file and runs plan verify on it. */
export async function verifyText(dir: string, text: string | Buffer, name = 'returned.csv'): Promise<CliResult> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const r = await cli(['plan', 'verify', file]);
  return { ...r, stdout: r.stdout.split(file).join(name), stderr: r.stderr.split(file).join(name) };
}
