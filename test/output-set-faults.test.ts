/**
 * Publishing fails for real: a disk that fills up while the files are written, and a file that
 * cannot be replaced half-way through publishing (an immutable file stands in for one Excel holds
 * open on Windows). Either way exit 2 names the file and the cause, and the previous set stays
 * whole and trusted. Needs root (mount, chattr), as CI has.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { G } from './guids';
import { cli, csv, tempDir } from './helpers';

const asRoot = process.getuid?.() === 0;
const rootTest = asRoot ? test : test.skip;

const ONPREM = csv(`
  UserPrincipalName,ObjectGUID
  jo@contoso.com,${G[1].guid}
  ann@contoso.com,${G[2].guid}
`);
const CLOUD = csv(`
  id,userPrincipalName,onPremisesImmutableId
  c1,jo@contoso.com,
  c2,ann@contoso.com,${G[2].id}
`);

/** Every file of a folder, hidden ones included, and its text. */
const snapshot = (dir: string): Record<string, string> => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

function reconcileArgs(dir: string, out: string): string[] {
  return ['reconcile', '--onprem', join(dir, 'onprem.csv'), '--cloud', join(dir, 'cloud.csv'), '--out', out];
}

/** Many cloud-only users: enough output to overflow a small disk. */
function bigCloud(users: number): string {
  const rows = [`id,userPrincipalName,onPremisesImmutableId`];
  for (let i = 0; i < users; i++) rows.push(`c${i},user${i}.with.a.long.name@contoso.com,`);
  return `${rows.join('\n')}\n`;
}

rootTest('a disk that fills up while the new files are written: exit 2 naming the file, the previous set untouched and trusted', async () => {
  const dir = tempDir();
  const disk = join(dir, 'disk');
  mkdirSync(disk);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', disk]);
  try {
    const out = join(disk, 'out');
    writeFileSync(join(dir, 'onprem.csv'), ONPREM);
    writeFileSync(join(dir, 'cloud.csv'), CLOUD);
    expect((await cli(reconcileArgs(dir, out))).code).toBe(0);
    const before = snapshot(out);

    writeFileSync(join(dir, 'cloud.csv'), bigCloud(5000));
    const r = await cli([...reconcileArgs(dir, out), '--no-report']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^idrecon: ${out}/[a-z]+\\.(csv|json)[^\\n]*: .*the disk is full.*\\n$`));
    expect(snapshot(out)).toEqual(before);
    const plan = await cli(['plan', '--reconciliation', join(out, 'reconciliation.csv'), '--out', join(dir, 'plan.csv'), '--federated-domains', 'none']);
    expect(plan.code).toBe(0);
  } finally {
    execFileSync('umount', [disk]);
  }
});

rootTest('a file that cannot be replaced half-way through publishing: every file put back, exit 2 naming the cause', async () => {
  const dir = tempDir();
  const out = join(dir, 'out');
  writeFileSync(join(dir, 'onprem.csv'), ONPREM);
  writeFileSync(join(dir, 'cloud.csv'), CLOUD);
  expect((await cli(reconcileArgs(dir, out))).code).toBe(0);
  const before = snapshot(out);

  // summary.json is published after reconciliation.csv and rejects.csv: those two are already in place when it fails.
  const locked = join(out, 'summary.json');
  execFileSync('chattr', ['+i', locked]);
  try {
    writeFileSync(join(dir, 'cloud.csv'), `${CLOUD}c3,new@contoso.com,\n`);
    const r = await cli(reconcileArgs(dir, out));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`idrecon: ${locked}: cannot put the file in place (permission denied: the file is locked or the folder is read-only); close it or free the name, then run again\n`);
  } finally {
    execFileSync('chattr', ['-i', locked]);
  }
  expect(snapshot(out)).toEqual(before);
  const plan = await cli(['plan', '--reconciliation', join(out, 'reconciliation.csv'), '--out', join(dir, 'plan.csv'), '--federated-domains', 'none']);
  expect(plan.code).toBe(0);
});
