/**
 * npm run bench: generates seeded exports of each size and runs the built CLI on them as a user
 * would (a whole process), reporting wall time, peak RSS (GNU time, Debian package `time`) and
 * throughput. Usage: npm run bench -- [--sizes 100000,1000000] [--runs 3] [--dir /tmp/idrecon-bench]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from './generate';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const sizes = option('sizes', '100000,1000000').split(',').map(Number);
const runs = Number(option('runs', '3'));
const dir = option('dir', '/tmp/idrecon-bench');
const cli = join(__dirname, '..', '..', 'bin', 'idrecon.js');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true });
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
