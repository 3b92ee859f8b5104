/**
 * npm run bench: the reconcile suite runs `idrecon reconcile` (the built CLI, as a whole process,
 * on the Node.js running the bench and on each supported LTS line bench/node installs), the same
 * job done by DuckDB and the lean query an admin would write in DuckDB
 * (bench/duckdb-reconcile.ts, their own processes) alternately on seeded exports of each size,
 * checks that idrecon and the whole-job DuckDB give the same count per status, and reports wall
 * time, CPU time and peak RSS (GNU time, Debian package `time`), the ratios to both DuckDB jobs and MB/s; the table
 * goes to stdout and into docs/performance.md between the bench:reconcile markers. The apply
 * suite measures apply's throughput against the local tenant as a fraction of Graph's write budget.
 * Usage: npm run bench -- [--suites reconcile,apply] [--sizes 100000,1000000,3000000] [--runs 3]
 *        [--duckdb-threads N] [--apply-users 1200] [--dir /tmp/idrecon-bench] [--doc FILE]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { scanCsv } from '../lib/io/csv-reader';
import { benchApply } from './apply';
import { GENERATOR_VERSION, generate } from './generate';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const ROOT = join(__dirname, '..', '..');
const suites = option('suites', 'reconcile,apply').split(',');
const sizes = option('sizes', '100000,1000000,3000000').split(',').map(Number);
const applyUsers = Number(option('apply-users', '1200'));
const runs = Number(option('runs', '3'));
const duckdbThreads = option('duckdb-threads', '');
const dir = option('dir', '/tmp/idrecon-bench');
const docPath = option('doc', join(ROOT, 'docs', 'performance.md'));
const CLI = join(ROOT, 'bin', 'idrecon.js');
const DUCKDB_SCRIPT = join(__dirname, 'duckdb-reconcile.js');
const TIME = '/usr/bin/time';
const SEED = 42;
const STATUSES = ['match', 'missing', 'mismatch', 'okta-anchored', 'onprem-only', 'cloud-only', 'duplicate', 'invalid'];
const START = '<!-- bench:reconcile:start -->';
const END = '<!-- bench:reconcile:end -->';

type Counts = Record<string, number>;

interface Timed {
  wall: number;
  /** User plus system seconds, every thread. */
  cpu: number;
  rssMb: number;
  stdout: string;
}

/** idrecon on one Node.js, or one of the two DuckDB jobs. */
type Tool = string;

/** A Node.js to time idrecon on: the one running the bench, then each supported LTS line bench/node installed. */
interface Runtime {
  version: string;
  node: string;
}

const toolOn = (r: Runtime): Tool => `idrecon, Node ${r.version}`;

/** The machine's Node.js, and the LTS lines of bench/node/package.json that are installed (they are optional: Linux x64 only). */
function runtimes(): Runtime[] {
  const own: Runtime = { version: process.version.slice(1), node: process.execPath };
  const lts = join(ROOT, 'bench', 'node');
  const wanted = Object.keys((JSON.parse(readFileSync(join(lts, 'package.json'), 'utf8')) as { optionalDependencies: Record<string, string> }).optionalDependencies);
  const installed = wanted
    .map((name) => join(lts, 'node_modules', name, 'bin', 'node'))
    .filter((node) => existsSync(node))
    .map((node) => ({ node, version: spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim().slice(1) }))
    .filter(({ version }) => version && version !== own.version);
  return [own, ...installed];
}

interface Result {
  tool: Tool;
  size: number;
  walls: number[];
  cpus: number[];
  rss: number[];
  inputMb: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs `node` (this one unless said) with `args` under GNU time: wall seconds and peak RSS of the whole process. */
function timed(what: string, args: string[], node = process.execPath): Timed {
  const r = spawnSync(TIME, ['-f', '%e %U %S %M', node, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new Error(`cannot run ${TIME} (GNU time, Debian package \`time\`): ${r.error.message}`);
  const lines = r.stderr.trim().split('\n');
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${lines.slice(-20).join('\n')}`);
  const m = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)$/.exec(lines[lines.length - 1]);
  if (!m) throw new Error(`${what}: no GNU time line at the end of stderr:\n${lines.slice(-5).join('\n')}`);
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMb: (Number(m[4]) * 1024) / 1e6, stdout: r.stdout };
}

/** The seeded inputs of size n, generated once per generator version and kept in --dir. */
async function inputs(n: number): Promise<{ onprem: string; cloud: string }> {
  const onprem = join(dir, `onprem-g${GENERATOR_VERSION}-s${SEED}-${n}.csv`);
  const cloud = join(dir, `cloud-g${GENERATOR_VERSION}-s${SEED}-${n}.csv`);
  if (!existsSync(onprem) || !existsSync(cloud)) {
    console.error(`generating ${n.toLocaleString('en-US')} users into ${dir}`);
    await generate(n, SEED, `${onprem}.part`, `${cloud}.part`);
    renameSync(`${onprem}.part`, onprem);
    renameSync(`${cloud}.part`, cloud);
  }
  return { onprem, cloud };
}

function sameCounts(a: Counts, b: Counts): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}

function countsTable(rows: [string, Counts][]): string {
  const keys = [...new Set([...STATUSES, ...rows.flatMap(([, c]) => Object.keys(c))])];
  return [`| | ${keys.join(' | ')} |`, `|---|${keys.map(() => '---:').join('|')}|`, ...rows.map(([name, c]) => `| ${name} | ${keys.map((k) => c[k] ?? 0).join(' | ')} |`)].join('\n');
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Rows per value of the `status` column of a CSV file. */
async function statusCounts(file: string): Promise<Counts> {
  const counts: Record<string, number> = {};
  let column = -1;
  await scanCsv(file, { encoding: 'auto', delimiter: ',' }, (r) => {
    if (column < 0) column = r.fields().indexOf('status');
    else counts[r.text(column)] = (counts[r.text(column)] ?? 0) + 1;
  });
  return counts;
}

async function reconcileSuite(): Promise<string> {
  // Before the runs: `npm run bench` has just built dist/ from this tree.
  const measured = revision();
  const results: Result[] = [];
  const agreed: [string, Counts][] = [];
  let duckdbVersion = '';
  let threadsUsed = 0;
  const nodes = runtimes();
  for (const n of sizes) {
    const { onprem, cloud } = await inputs(n);
    const inputMb = (statSync(onprem).size + statSync(cloud).size) / 1e6;
    const result = (tool: Tool): Result => ({ tool, size: n, walls: [], cpus: [], rss: [], inputMb });
    const idrecon = nodes.map((r) => result(toolOn(r)));
    const duckdb = result('DuckDB');
    const lean = result('DuckDB lean');
    const idreconOut = join(dir, `out-idrecon-${n}`);
    const duckdbOut = join(dir, `out-duckdb-${n}.csv`);
    const leanOut = join(dir, `out-duckdb-lean-${n}.csv`);
    for (let i = 0; i < runs; i++) {
      const timings = nodes.map((r) => {
        const t = timed(`idrecon reconcile (${toolOn(r)})`, [CLI, 'reconcile', '--onprem', onprem, '--cloud', cloud, '--out', idreconOut], r.node);
        return { t, counts: (JSON.parse(readFileSync(join(idreconOut, 'summary.json'), 'utf8')) as { status: Counts }).status };
      });
      const threads = duckdbThreads ? ['--threads', duckdbThreads] : [];
      const b = timed('DuckDB reconcile', [DUCKDB_SCRIPT, '--onprem', onprem, '--cloud', cloud, '--out', duckdbOut, ...threads]);
      const c = timed('DuckDB lean query', [DUCKDB_SCRIPT, '--lean', '--onprem', onprem, '--cloud', cloud, '--out', leanOut, ...threads]);
      const duck = JSON.parse(b.stdout.trim().split('\n').pop()!) as { duckdb: string; threads: number };
      duckdbVersion = duck.duckdb;
      threadsUsed = duck.threads;
      const duckCounts = await statusCounts(duckdbOut);
      timings.forEach(({ counts }, k) => {
        if (!sameCounts(counts, duckCounts)) {
          throw new Error(
            `idrecon and DuckDB disagree on the counts per status for ${fmt(n)} users (run ${i + 1}, ${toolOn(nodes[k])}):\n` +
              countsTable([
                ['idrecon', counts],
                ['DuckDB', duckCounts],
              ]),
          );
        }
      });
      if (i === 0) agreed.push([fmt(n), timings[0].counts]);
      for (const [r, t] of [...timings.map(({ t }, k) => [idrecon[k], t] as const), [duckdb, b] as const, [lean, c] as const]) {
        r.walls.push(t.wall);
        r.cpus.push(t.cpu);
        r.rss.push(t.rssMb);
      }
      const idreconSays = timings.map(({ t }, k) => `${toolOn(nodes[k])} ${t.wall.toFixed(2)} s`).join(', ');
      console.error(`${fmt(n)} users, run ${i + 1}/${runs}: ${idreconSays}, DuckDB ${b.wall.toFixed(2)} s, DuckDB lean ${c.wall.toFixed(2)} s; counts agree`);
    }
    results.push(...idrecon, duckdb, lean);
  }

  const wallOf = (tool: Tool, size: number): number => median(results.find((r) => r.tool === tool && r.size === size)!.walls);
  const table = [
    '| tool | size | wall median (s) | CPU median (s) | peak RSS (MB) | ratio to DuckDB | ratio to DuckDB lean | input MB | MB/s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map((r) => {
      const wall = median(r.walls);
      const ratio = (tool: Tool): string => (wall / wallOf(tool, r.size)).toFixed(2);
      return `| ${r.tool} | ${fmt(r.size)} | ${wall.toFixed(2)} | ${median(r.cpus).toFixed(2)} | ${Math.max(...r.rss).toFixed(0)} | ${ratio('DuckDB')} | ${ratio('DuckDB lean')} | ${r.inputMb.toFixed(r.inputMb < 10 ? 1 : 0)} | ${(r.inputMb / wall).toFixed(1)} |`;
    }),
  ].join('\n');
  const perMillion = (tool: Tool): string =>
    results
      .filter((r) => r.tool === tool)
      .map((r) => `${((median(r.walls) / r.size) * 1e6).toFixed(1)} s at ${fmt(r.size)}`)
      .join(', ');

  const cpus = os.cpus();
  const pkg = JSON.parse(readFileSync(join(ROOT, 'bench', 'duckdb', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const section = [
    START,
    '<!-- Written by `npm run bench`; anything between these two markers is replaced on the next run. -->',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus[0]?.model.trim() ?? 'unknown CPU'} (${cpus.length} cores), ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}; the bench on Node ${process.version}, idrecon on ${nodes.map((r) => `Node ${r.version}`).join(', ')}; ` +
      `DuckDB ${duckdbVersion} (@duckdb/node-api ${pkg.dependencies['@duckdb/node-api']}, ${threadsUsed} threads); idrecon ${measured}. ` +
      `Median of ${runs} runs of each tool, run alternately; peak RSS is the highest of the runs; load average ${os.loadavg()[0].toFixed(2)} at the end.`,
    '',
    table,
    '',
    `Wall time per million users: ${[...nodes.map(toolOn), 'DuckDB', 'DuckDB lean'].map((tool) => `${tool} ${perMillion(tool)}`).join('; ')}.`,
    '',
    'Rows per status (idrecon, on every Node, and the whole-job DuckDB agreed on every run):',
    '',
    countsTable(agreed),
    END,
  ].join('\n');
  console.log(`\n${table}\n`);
  return section;
}

/** The commit the numbers were measured on, and whether the working tree differed from it. */
function revision(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (head.status !== 0) return 'outside git';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'lib', 'bin'], { cwd: ROOT, encoding: 'utf8' });
  return `${head.stdout.trim()}${dirty.stdout.trim() ? ' with uncommitted changes under lib/ or bin/' : ''}`;
}

/** Replaces the generated section of the doc, keeping everything written by hand around it. */
function writeDoc(section: string): void {
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Performance\n';
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  const next = start >= 0 && end > start ? `${doc.slice(0, start)}${section}${doc.slice(end + END.length)}` : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(docPath, next);
  console.error(`wrote ${docPath}`);
}

async function main(): Promise<void> {
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number of at least 1');
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--sizes must be whole numbers of users, comma-separated');
  mkdirSync(dir, { recursive: true });
  if (suites.includes('reconcile')) writeDoc(await reconcileSuite());
  if (suites.includes('apply')) {
    const applyDir = join(dir, `apply-${applyUsers}`);
    mkdirSync(applyDir, { recursive: true });
    const a = await benchApply(applyUsers, applyDir);
    console.log('\n| apply: users | writes | wall (s) | writes/s | fraction of 3,000 per 150 s | failed |');
    console.log('|---:|---:|---:|---:|---:|---:|');
    console.log(`| ${a.users} | ${a.writes} | ${a.seconds.toFixed(1)} | ${(a.writes / a.seconds).toFixed(2)} | ${a.fraction.toFixed(3)} | ${a.failed} |`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
