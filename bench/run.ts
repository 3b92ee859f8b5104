/**
 * npm run bench: reconcile on seeded exports of each size, run by the built CLI as a whole process
 * (wall time, peak RSS from GNU time, Debian package `time`, and MB/s), and apply's throughput
 * against the local tenant as a fraction of Graph's write budget.
 * Usage: npm run bench -- [--suites reconcile,apply] [--sizes 100000,1000000] [--runs 3]
 *        [--apply-users 1200] [--dir /tmp/idrecon-bench]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { benchApply } from './apply';
import { generate } from './generate';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const suites = option('suites', 'reconcile,apply').split(',');
const sizes = option('sizes', '100000,1000000').split(',').map(Number);
const applyUsers = Number(option('apply-users', '1200'));
const runs = Number(option('runs', '3'));
const dir = option('dir', '/tmp/idrecon-bench');
const cli = join(__dirname, '..', '..', 'bin', 'idrecon.js');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  if (suites.includes('reconcile')) await reconcileSuite();
  if (suites.includes('apply')) {
    const applyDir = join(dir, `apply-${applyUsers}`);
    mkdirSync(applyDir, { recursive: true });
    const a = await benchApply(applyUsers, applyDir);
    console.log('\n| apply: users | writes | wall (s) | writes/s | fraction of 3,000 per 150 s | failed |');
    console.log('|---:|---:|---:|---:|---:|---:|');
    console.log(`| ${a.users} | ${a.writes} | ${a.seconds.toFixed(1)} | ${(a.writes / a.seconds).toFixed(2)} | ${a.fraction.toFixed(3)} | ${a.failed} |`);
  }
}

async function reconcileSuite(): Promise<void> {
  console.log('| size | wall median (s) | peak RSS (MB) | input MB | MB/s |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const n of sizes) {
    const onprem = join(dir, `onprem-${n}.csv`);
    const cloud = join(dir, `cloud-${n}.csv`);
    if (!existsSync(onprem) || !existsSync(cloud)) await generate(n, 42, onprem, cloud);
    const inputMb = (statSync(onprem).size + statSync(cloud).size) / 1e6;
    const walls: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, cli, 'reconcile', '--onprem', onprem, '--cloud', cloud, '--out', join(dir, `out-${n}`)], {
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`reconcile failed (${r.status}): ${r.stderr}`);
      const [wall, kb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
      walls.push(wall);
      rss.push(kb / 1024);
    }
    const wall = median(walls);
    console.log(`| ${n.toLocaleString('en-US')} | ${wall.toFixed(2)} | ${median(rss).toFixed(0)} | ${inputMb.toFixed(0)} | ${(inputMb / wall).toFixed(1)} |`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
