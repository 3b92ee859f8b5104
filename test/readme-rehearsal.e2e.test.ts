/**
 * The README's rehearsal snippet, run as written (bash, from a folder laid out like a clone):
 * it waits for the local tenant to listen, exports, and stops the tenant, every time.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ROOT, tempDir } from './helpers';

jest.setTimeout(60_000);

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const snippet = /<!-- rehearsal:start -->\n```sh\n([\s\S]*?)```\n<!-- rehearsal:end -->/.exec(readme)![1];

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });

test.each([1, 2, 3])('the README rehearsal exports the local tenant and stops it (run %i)', async () => {
  const dir = tempDir();
  for (const entry of ['bin', 'fixtures']) symlinkSync(join(ROOT, entry), join(dir, entry), 'dir');
  const r = spawnSync('bash', ['-e', '-c', snippet], { cwd: dir, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe('exported 31 users in 1 page (0 retries) to cloud.csv, 2 domains to domains.csv\nroles: 1 active assignment, 1 eligibility, 2 users with a role\n');
  expect(r.status).toBe(0);
  expect(readFileSync(join(dir, 'cloud.csv'), 'utf8').trim().split('\n')).toHaveLength(32);
  let stopped = false;
  for (let i = 0; i < 40 && !stopped; i++) {
    stopped = await refused(8080);
    if (!stopped) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(stopped).toBe(true);
});
