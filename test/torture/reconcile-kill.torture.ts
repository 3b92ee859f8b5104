/**
 * reconcile --plan killed with SIGKILL at random moments while it replaces an earlier output:
 * after every kill the folder holds one whole set, the old or the new (its manifest matching
 * every file), or no manifest at all (a publish cut short, which plan refuses); never files of
 * two runs under a manifest that vouches for them. Run with npm run torture (not in npm test).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../lib/core/prng';
import { ROOT, tempDir } from '../helpers';

jest.setTimeout(1_800_000);

const USERS = Number(process.env.IDRECON_TORTURE_USERS ?? 200_000);
const KILLS = Number(process.env.IDRECON_TORTURE_KILLS ?? 30);

const guidOf = (i: number, v: number) => `${(0x10000000 + i).toString(16)}-000${v}-4000-8000-${String(i).padStart(12, '0')}`;

function writeExports(dir: string, v: number): void {
  const onprem = ['UserPrincipalName,ObjectGUID', ...Array.from({ length: USERS }, (_, i) => `user${i}@contoso.com,${guidOf(i, v)}`)];
  const cloud = ['id,userPrincipalName,onPremisesImmutableId', ...Array.from({ length: USERS }, (_, i) => `c${i},user${i}@contoso.com,`)];
  writeFileSync(join(dir, `onprem-${v}.csv`), `${onprem.join('\n')}\n`);
  writeFileSync(join(dir, `cloud-${v}.csv`), `${cloud.join('\n')}\n`);
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

type Verdict = 'whole' | 'no-manifest' | 'mixed';

/** Is the folder one whole set? Its manifest must match every file it lists, and list every file there is. */
function verdict(out: string): Verdict {
  const manifestFile = join(out, 'manifest.json');
  if (!existsSync(manifestFile)) return 'no-manifest';
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { files: Record<string, { bytes: number; sha256: string }> };
  const listed = Object.keys(manifest.files).sort();
  const present = readdirSync(out).filter((f) => !f.startsWith('.') && f !== 'manifest.json').sort();
  if (listed.join() !== present.join()) return 'mixed';
  return listed.every((f) => readFileSync(join(out, f)).length === manifest.files[f].bytes && sha256(join(out, f)) === manifest.files[f].sha256) ? 'whole' : 'mixed';
}

test(`reconcile killed ${KILLS} times while replacing its output: never a mixed set`, async () => {
  const dir = tempDir();
  writeExports(dir, 1);
  writeExports(dir, 2);
  const out = join(dir, 'out');
  const run = (v: number): ChildProcess =>
    spawn(process.execPath, [join(ROOT, 'bin/idrecon.js'), 'reconcile', '--onprem', join(dir, `onprem-${v}.csv`), '--cloud', join(dir, `cloud-${v}.csv`), '--out', out, '--plan', '--federated-domains', 'none', '--plan-id', `P${v}`], {
      stdio: 'ignore',
    });
  const first = run(1);
  expect((await once(first, 'exit'))[0]).toBe(0);
  const timed = Date.now();
  expect((await once(run(2), 'exit'))[0]).toBe(0);
  const fullRunMs = Date.now() - timed;

  const random = mulberry32(20261201);
  const counts: Record<Verdict, number> = { whole: 0, 'no-manifest': 0, mixed: 0 };
  let kills = 0;
  for (let attempt = 0; kills < KILLS && attempt < KILLS * 3; attempt++) {
    const child = run(1 + (attempt % 2));
    const exited = once(child, 'exit');
    // Most kills aimed at the end of the run, where the files are published.
    const at = fullRunMs * (random() < 0.7 ? 0.8 + random() * 0.3 : random());
    const timer = setTimeout(() => child.kill('SIGKILL'), at);
    const [, signal] = (await exited) as [number | null, string | null];
    clearTimeout(timer);
    if (signal === 'SIGKILL') kills++;
    counts[verdict(out)]++;
  }
  process.stdout.write(`reconcile torture: ${USERS} users, ${kills} SIGKILLs over ${counts.whole + counts['no-manifest'] + counts.mixed} runs: whole set ${counts.whole}, no manifest (refused by plan) ${counts['no-manifest']}, mixed ${counts.mixed}\n`);
  expect(kills).toBe(KILLS);
  expect(counts.mixed).toBe(0);
});
