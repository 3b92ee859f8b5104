/** Shared test plumbing: real files in a temporary folder, the real CLI entry point. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { main } from '../lib/cli';

export const ROOT = join(__dirname, '..');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'idrecon-test-'));
}

class Collector extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command through lib/cli.ts in this process, capturing its output. */
export async function cli(args: string[]): Promise<CliResult> {
  const stdout = new Collector();
  const stderr = new Collector();
  const code = await main(args, { stdout, stderr: stderr as unknown as NodeJS.WriteStream });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Runs the built CLI (dist/) as a separate process, the way an admin does. */
export function spawnCli(args: string[], cwd = ROOT): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'idrecon.js'), ...args], { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface Reconciled extends CliResult {
  dir: string;
  reconciliation: string;
  rejects: string;
  summary: Record<string, unknown>;
}

/** Writes the two exports (text or bytes) to files and reconciles them in-process. */
export async function reconcileInline(onprem: string | Buffer, cloud: string | Buffer, extra: string[] = []): Promise<Reconciled> {
  const dir = tempDir();
  writeFileSync(join(dir, 'onprem.csv'), onprem);
  writeFileSync(join(dir, 'cloud.csv'), cloud);
  const out = join(dir, 'out');
  const r = await cli(['reconcile', '--onprem', join(dir, 'onprem.csv'), '--cloud', join(dir, 'cloud.csv'), '--out', out, ...extra]);
  const read = (f: string) => (existsSync(join(out, f)) ? readFileSync(join(out, f), 'utf8') : '');
  const summary = read('summary.json');
  return { ...r, dir, reconciliation: read('reconciliation.csv'), rejects: read('rejects.csv'), summary: summary ? JSON.parse(summary) : {} };
}

/** The named columns of a CSV text, as CSV with LF line ends, for whole-output comparisons. */
export function project(csvText: string, columns: string[]): string {
  const rows = parse(csvText, { bom: true, columns: true }) as Record<string, string>[];
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [columns.join(','), ...rows.map((r) => columns.map((c) => quote(r[c])).join(','))].join('\n') + '\n';
}

/** Inline CSV in tests is written with indentation; this strips it and ends lines with CRLF or LF. */
export function csv(text: string, eol = '\n'): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join(eol).replace(/[ \t]+$/, '');
}
