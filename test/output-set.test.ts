/**
 * reconcile publishes its files as a set: all of them, with a manifest written last, or none;
 * a failure while publishing leaves the previous set as it was, and plan checks the manifest
 * before it trusts a reconciliation. The faults are real: a full disk is a small tmpfs, and a
 * file that cannot be replaced (as one Excel holds open on Windows) an immutable one; both need
 * root (mount, chattr), as CI has.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { G } from './guids';
import { cli, csv, tempDir } from './helpers';

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

function inputs(): { dir: string; args: (out: string) => string[] } {
  const dir = tempDir();
  writeFileSync(join(dir, 'onprem.csv'), ONPREM);
  writeFileSync(join(dir, 'cloud.csv'), CLOUD);
  return { dir, args: (out) => ['reconcile', '--onprem', join(dir, 'onprem.csv'), '--cloud', join(dir, 'cloud.csv'), '--out', out] };
}

/** Every file of a folder and its text; a folder in it as 'folder'. */
const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(readdirSync(dir, { withFileTypes: true }).map((e) => [e.name, e.isDirectory() ? 'folder' : readFileSync(join(dir, e.name), 'utf8')]));
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

test('the manifest, written last, lists every file of the run with its size and SHA-256', async () => {
  const { dir, args } = inputs();
  const out = join(dir, 'out');
  expect((await cli([...args(out), '--plan', '--federated-domains', 'none', '--plan-id', 'P1'])).code).toBe(0);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  expect(manifest).toEqual({
    command: 'reconcile',
    files: Object.fromEntries(['reconciliation.csv', 'rejects.csv', 'summary.json', 'report.html', 'plan.csv'].map((f) => [f, { bytes: readFileSync(join(out, f)).length, sha256: sha256(join(out, f)) }])),
  });
  expect(readdirSync(out).sort()).toEqual(['manifest.json', 'plan.csv', 'reconciliation.csv', 'rejects.csv', 'report.html', 'summary.json']);
});

test('a plain reconcile removes the plan.csv of an earlier reconcile --plan', async () => {
  const { dir, args } = inputs();
  const out = join(dir, 'out');
  expect((await cli([...args(out), '--plan', '--federated-domains', 'none'])).code).toBe(0);
  expect((await cli(args(out))).code).toBe(0);
  expect(readdirSync(out).sort()).toEqual(['manifest.json', 'reconciliation.csv', 'rejects.csv', 'report.html', 'summary.json']);
  expect(Object.keys(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).files)).toEqual(['reconciliation.csv', 'rejects.csv', 'summary.json', 'report.html']);
});

test('a folder in place of an output file: exit 2 naming it, and the previous set untouched', async () => {
  const { dir, args } = inputs();
  const out = join(dir, 'out');
  expect((await cli(args(out))).code).toBe(0);
  // A folder named plan.csv is in the way of the next run, which has other data.
  mkdirSync(join(out, 'plan.csv'));
  const before = snapshot(out);
  writeFileSync(join(dir, 'cloud.csv'), `${CLOUD}c3,new@contoso.com,\n`);
  const r = await cli([...args(out), '--plan', '--federated-domains', 'none']);
  expect(r).toEqual({ code: 2, stdout: '', stderr: `idrecon: ${join(out, 'plan.csv')}: cannot write the file (a folder has that name); free the name or choose another place, then run again\n` });
  expect(snapshot(out)).toEqual(before);
  expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  // The previous set is still whole: plan trusts it.
  expect((await cli(['plan', '--reconciliation', join(out, 'reconciliation.csv'), '--out', join(dir, 'p.csv'), '--federated-domains', 'none'])).code).toBe(0);
});

test('a plan that cannot be made publishes nothing: no new reconciliation without its plan', async () => {
  const { dir, args } = inputs();
  const out = join(dir, 'out');
  expect((await cli(args(out))).code).toBe(0);
  const before = snapshot(out);
  writeFileSync(join(dir, 'cloud.csv'), `${CLOUD}c3,new@contoso.com,\n`);
  const r = await cli([...args(out), '--plan', '--federated-domains', 'contoso.com']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('expected --initial-domain');
  expect(snapshot(out)).toEqual(before);
});

test('plan refuses a reconciliation that differs from its manifest, or has none', async () => {
  const { dir, args } = inputs();
  const out = join(dir, 'out');
  expect((await cli(args(out))).code).toBe(0);
  const recon = join(out, 'reconciliation.csv');
  const plan = ['plan', '--reconciliation', recon, '--out', join(dir, 'plan.csv'), '--federated-domains', 'none'];
  expect((await cli(plan)).code).toBe(0);
  writeFileSync(recon, readFileSync(recon, 'utf8').replace('jo@contoso.com', 'jx@contoso.com'));
  expect(await cli(plan)).toEqual({
    code: 2,
    stdout: '',
    stderr: `idrecon: ${recon}: it differs from what manifest.json records (size or SHA-256): it was changed since reconcile wrote it, or only part of a run was published; run idrecon reconcile again\n`,
  });
  rmSync(join(out, 'manifest.json'));
  expect((await cli(plan)).stderr).toBe(
    `idrecon: ${recon}: there is no readable manifest.json beside it, so it may be one file of an output that was never published whole: run idrecon reconcile again (or copy its --out folder whole)\n`,
  );
  expect(existsSync(join(dir, 'plan.csv'))).toBe(true);
});

test('output files in folders that do not exist are made; a folder given for a file, or the input as output, is exit 2', async () => {
  const { dir, args } = inputs();
  const out = join(dir, 'out');
  expect((await cli(args(out))).code).toBe(0);
  const recon = join(out, 'reconciliation.csv');
  const deep = join(dir, 'plans', 'march', 'plan.csv');
  expect((await cli(['plan', '--reconciliation', recon, '--out', deep, '--federated-domains', 'none'])).code).toBe(0);
  expect(existsSync(deep)).toBe(true);
  expect(await cli(['plan', '--reconciliation', recon, '--out', join(dir, 'plans'), '--federated-domains', 'none'])).toEqual({
    code: 2,
    stdout: '',
    stderr: `idrecon: ${join(dir, 'plans')}: cannot write the file (a folder has that name); free the name or choose another place, then run again\n`,
  });
  expect(await cli(['plan', '--reconciliation', recon, '--out', recon, '--federated-domains', 'none'])).toEqual({
    code: 2,
    stdout: '',
    stderr: `idrecon: ${recon}: --out: expected another file than --reconciliation, which the plan is made from\n`,
  });
});

const rootTest = process.getuid?.() === 0 ? test : test.skip;

rootTest('a disk that fills up while the new files are written: exit 2 naming the file, the previous set untouched and trusted', async () => {
  const { dir, args } = inputs();
  const disk = join(dir, 'disk');
  mkdirSync(disk);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', disk]);
  try {
    const out = join(disk, 'out');
    expect((await cli(args(out))).code).toBe(0);
    const before = snapshot(out);
    // 5,000 cloud-only users: more output than the disk holds.
    const rows = Array.from({ length: 5000 }, (_, i) => `c${i},user${i}.with.a.long.name@contoso.com,`);
    writeFileSync(join(dir, 'cloud.csv'), `id,userPrincipalName,onPremisesImmutableId\n${rows.join('\n')}\n`);
    const r = await cli([...args(out), '--no-report']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^idrecon: ${out}/[a-z]+\\.(csv|json)[^\\n]*: .*the disk is full.*\\n$`));
    expect(snapshot(out)).toEqual(before);
    expect((await cli(['plan', '--reconciliation', join(out, 'reconciliation.csv'), '--out', join(dir, 'plan.csv'), '--federated-domains', 'none'])).code).toBe(0);
  } finally {
    execFileSync('umount', [disk]);
  }
});

rootTest('a file that cannot be replaced half-way through publishing: every file put back, no kept copy left, exit 2 naming the cause', async () => {
  const { dir, args } = inputs();
  const out = join(dir, 'out');
  expect((await cli(args(out))).code).toBe(0);
  const before = snapshot(out);
  // summary.json is published after reconciliation.csv and rejects.csv: those two are in place when it fails.
  const locked = join(out, 'summary.json');
  execFileSync('chattr', ['+i', locked]);
  try {
    writeFileSync(join(dir, 'cloud.csv'), `${CLOUD}c3,new@contoso.com,\n`);
    expect(await cli(args(out))).toEqual({
      code: 2,
      stdout: '',
      stderr: `idrecon: ${locked}: cannot put the file in place (permission denied: the file is locked or the folder is read-only); close it or free the name, then run again\n`,
    });
  } finally {
    execFileSync('chattr', ['-i', locked]);
  }
  expect(snapshot(out)).toEqual(before);
  expect((await cli(['plan', '--reconciliation', join(out, 'reconciliation.csv'), '--out', join(dir, 'plan.csv'), '--federated-domains', 'none'])).code).toBe(0);
});
