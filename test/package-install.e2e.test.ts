/**
 * What an admin installs: the packed tarball (built on pack), installed globally into a fresh
 * prefix from the tarball and the npm cache, puts `idrecon` on the PATH, runs the main job, and
 * brings no development or benchmark dependency. npx runs it from the tarball too.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ROOT, tempDir } from './helpers';

jest.setTimeout(120_000);

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; devDependencies: Record<string, string> };

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * A copy of the sources without dist/, so the tarball holds what pack built (and the build does
 * not rewrite dist/ under the other tests running meanwhile).
 */
function sourceCopy(): string {
  const src = tempDir();
  for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'CHANGELOG.md', 'bin', 'lib', 'bench', 'docs']) {
    cpSync(join(ROOT, entry), join(src, entry), { recursive: true, filter: (from) => !from.includes('node_modules') });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'), 'dir');
  return src;
}

test('npm pack, npm install -g and npx give a working idrecon on the PATH', () => {
  const dir = tempDir();
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], sourceCopy())) as { filename: string; files: { path: string }[] }[];
  const files = packed.files.map((f) => f.path);
  expect(files).toEqual(expect.arrayContaining(['bin/idrecon.js', 'dist/lib/cli.js', 'dist/lib/commands/reconcile.js', 'docs/statuses.md', 'CHANGELOG.md', 'README.md', 'package.json']));
  expect(files.filter((f) => /^(test|bench|fixtures|lib|scripts)\/|\.ts$|\.map$/.test(f))).toEqual([]);

  const tarball = join(dir, packed.filename);
  const prefix = join(dir, 'prefix');
  run('npm', ['install', '--global', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund'], dir);
  const installed = join(prefix, 'lib', 'node_modules', 'idrecon');
  const deps = readdirSync(join(installed, 'node_modules'));
  for (const dev of [...Object.keys(pkg.devDependencies), '@duckdb']) expect([dev, deps.includes(dev.split('/')[0]) && existsSync(join(installed, 'node_modules', dev))]).toEqual([dev, false]);

  const env = { ...process.env, PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH}` };
  expect(run('idrecon', ['--version'], dir, env)).toBe(`${pkg.version}\n`);
  const stdout = run('idrecon', ['reconcile', '--onprem', join(ROOT, 'fixtures/onprem-users.csv'), '--cloud', join(ROOT, 'fixtures/cloud-users.csv'), '--out', 'out'], dir, env);
  expect(stdout).toContain('check: 29 on-prem rows + 31 cloud rows = 41 output rows + 19 joined pairs\n');
  expect(readFileSync(join(dir, 'out', 'reconciliation.csv'), 'utf8')).toBe(readFileSync(join(ROOT, 'test/expected/fixtures-reconciliation.csv'), 'utf8'));
  // The report quotes docs/statuses.md, which the package carries.
  expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toContain('export the cloud users again in one go and run again.');
  expect(JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8')).idrecon_version).toBe(pkg.version);

  expect(run('npx', ['--yes', '--prefer-offline', '--package', tarball, '--', 'idrecon', '-V'], dir)).toBe(`${pkg.version}\n`);
});
