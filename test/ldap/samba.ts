/**
 * A real Active Directory domain controller for the tests: Samba's AD DC, running LDAP only, on
 * its own loopback address, with all its state in a temporary folder (../shared/samba-dc.md).
 *
 * The domain is provisioned once into a template folder (about 5 s) that every test file copies;
 * each file then loads its users offline with `ldbadd --relax` (which keeps the objectGUIDs and
 * SIDs given), makes a certificate for its address with a test CA, and starts `samba` in the
 * foreground, stopped by its PID. The LDAP ports are fixed in Samba, so each test file takes its
 * own address 127.0.0.N.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync, cpSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REALM = 'example.test';
export const BASE_DN = 'DC=example,DC=test';
export const STAFF_DN = `OU=Staff,${BASE_DN}`;
export const DOMAIN_SID = 'S-1-5-21-4248308273-3223293760-397553378';
export const ADMIN_PASSWORD = 'Adm1n-Pass-9f3c!';
/** The read-only account the exports bind as: an ordinary domain user. */
export const SVC_USER = 'svc-idrecon';
export const SVC_PASSWORD = 'Svc-Pass-7b21!';
export const SVC_BIND = `${SVC_USER}@${REALM}`;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync(cmd, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Bump when provision() changes; Samba's version is part of the name, so an upgrade makes a new template. */
const TEMPLATE_VERSION = 1;
const templatePath = (): string => {
  const samba = run('samba', ['-V']).trim().replace(/[^\w.-]+/g, '_');
  return join(tmpdir(), `idrecon-samba-template-v${TEMPLATE_VERSION}-${samba}-${process.getuid?.() ?? 0}`);
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

function provision(dir: string): void {
  run('samba-tool', [
    'domain', 'provision', '-s', '/dev/null', `--targetdir=${dir}`, `--realm=${REALM.toUpperCase()}`, '--domain=EXAMPLE',
    `--adminpass=${ADMIN_PASSWORD}`, '--server-role=dc', '--dns-backend=NONE', '--use-rfc2307', '--host-name=dc1',
    '--host-ip=127.0.0.1', `--domain-sid=${DOMAIN_SID}`,
  ]);
  writeSmbConf(dir, '127.0.0.1');
  run('samba-tool', ['user', 'add', SVC_USER, SVC_PASSWORD, '-H', join(dir, 'private', 'sam.ldb'), `--configfile=${join(dir, 'etc', 'smb.conf')}`]);
}

/** Provisions the template once for all test files (a lock folder keeps parallel workers from doing it twice). */
function ensureTemplate(): string {
  const TEMPLATE = templatePath();
  const lock = `${TEMPLATE}.lock`;
  const deadline = Date.now() + 180_000;
  while (!existsSync(join(TEMPLATE, 'ready'))) {
    if (Date.now() > deadline) throw new Error(`the Samba template at ${TEMPLATE} was not ready in time`);
    try {
      mkdirSync(lock);
    } catch {
      const holder = Number(readFileSync(join(lock, 'pid'), 'utf8').trim() || '0');
      if (holder && !alive(holder)) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      continue;
    }
    try {
      writeFileSync(join(lock, 'pid'), String(process.pid));
      const building = `${TEMPLATE}.tmp-${process.pid}`;
      rmSync(building, { recursive: true, force: true });
      provision(building);
      writeFileSync(join(building, 'ready'), '');
      rmSync(TEMPLATE, { recursive: true, force: true });
      renameSync(building, TEMPLATE);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return TEMPLATE;
}

/** Everything under DIR, LDAP only, on one address; TLS files when given. */
function writeSmbConf(dir: string, ip: string, tls?: { key: string; cert: string; ca: string }): void {
  mkdirSync(join(dir, 'etc'), { recursive: true });
  for (const d of ['cache', 'state', 'run', 'log', 'bind-dns']) mkdirSync(join(dir, d), { recursive: true });
  const lines = [
    '[global]',
    '  netbios name = DC1',
    `  realm = ${REALM.toUpperCase()}`,
    '  workgroup = EXAMPLE',
    '  server role = active directory domain controller',
    '  server services = ldap',
    `  interfaces = ${ip}/8`,
    '  bind interfaces only = yes',
    '  idmap_ldb:use rfc2307 = yes',
    `  private dir = ${dir}/private`,
    `  lock directory = ${dir}`,
    `  state directory = ${dir}/state`,
    `  cache directory = ${dir}/cache`,
    `  binddns dir = ${dir}/bind-dns`,
    `  pid directory = ${dir}/run`,
    `  ncalrpc dir = ${dir}/run/ncalrpc`,
    `  ntp signd socket directory = ${dir}/run/ntp_signd`,
    `  winbindd socket directory = ${dir}/run/winbindd`,
    `  log file = ${dir}/log/samba.log`,
    ...(tls ? ['  tls enabled = yes', `  tls keyfile = ${tls.key}`, `  tls certfile = ${tls.cert}`, `  tls cafile = ${tls.ca}`] : []),
    '[sysvol]',
    `  path = ${dir}/state/sysvol`,
    '  read only = no',
    '[netlogon]',
    `  path = ${dir}/state/sysvol/${REALM}/scripts`,
    '  read only = no',
  ];
  writeFileSync(join(dir, 'etc', 'smb.conf'), `${lines.join('\n')}\n`);
}

/** A test CA and a certificate for the DC's IP address (Node checks the IP against the SAN). */
export function makeCa(dir: string, name: string): { key: string; cert: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=idrecon test CA ${name}`]);
  chmodSync(key, 0o600);
  return { key, cert };
}

function makeServerCert(dir: string, ip: string, ca: { key: string; cert: string }): { key: string; cert: string } {
  const key = join(dir, 'dc.key');
  const csr = join(dir, 'dc.csr');
  const cert = join(dir, 'dc.pem');
  const ext = join(dir, 'dc.ext');
  writeFileSync(ext, `subjectAltName = IP:${ip}, DNS:dc1.${REALM}\nextendedKeyUsage = serverAuth\n`);
  run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=dc1.${REALM}`]);
  run('openssl', ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext]);
  chmodSync(key, 0o600);
  return { key, cert };
}

function portOpen(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: ip, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface Dc {
  ip: string;
  dir: string;
  /** The CA that issued the DC's certificate, for --ca-file. */
  caFile: string;
  ldapsUrl: string;
  ldapUrl: string;
  process: ChildProcess;
  /** Samba's ldbsearch on the DC's database: Samba's own rendering, independent of idrecon. */
  ldbsearch(filter: string, attributes: string[], base?: string): string;
  stop(): Promise<void>;
}

/** Starts a DC on 127.0.0.N with the users of `ldif` (loaded offline, GUIDs and SIDs kept). */
export async function startDc(ip: string, ldif: string): Promise<Dc> {
  const template = ensureTemplate();
  const dir = mkdtempSync(join(tmpdir(), 'idrecon-dc-'));
  cpSync(template, dir, { recursive: true });
  const ca = makeCa(dir, 'ca');
  const server = makeServerCert(dir, ip, ca);
  writeSmbConf(dir, ip, { key: server.key, cert: server.cert, ca: ca.cert });
  const conf = `--configfile=${join(dir, 'etc', 'smb.conf')}`;
  const sam = join(dir, 'private', 'sam.ldb');
  // Batch mode with a large index cache: without it the load grows with the square of the users.
  run('ldbadd', ['--relax', '-o', 'batch_mode:1', '-o', 'transaction_index_cache_size:200003', '-H', sam, conf, ldif]);
  const child = spawn('samba', ['-i', '-M', 'single', '-s', join(dir, 'etc', 'smb.conf'), '--maximum-runtime=900'], { stdio: 'ignore' });
  const deadline = Date.now() + 30_000;
  while (!(await portOpen(ip, 636))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`samba did not start on ${ip} (exit ${child.exitCode}); see ${dir}/log/samba.log`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    ip,
    dir,
    caFile: ca.cert,
    ldapsUrl: `ldaps://${ip}`,
    ldapUrl: `ldap://${ip}`,
    process: child,
    ldbsearch: (filter, attributes, base = BASE_DN) => run('ldbsearch', ['-H', sam, conf, '-b', base, filter, ...attributes]),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** ldbsearch's output as entries: attribute name (lower case) to values. */
export function parseLdbsearch(text: string): Map<string, string[]>[] {
  const entries: Map<string, string[]>[] = [];
  for (const block of text.replace(/\n /g, '').split(/\n\n+/)) {
    const lines = block.split('\n').filter((l) => l && !l.startsWith('#'));
    if (!lines[0]?.startsWith('dn: ')) continue;
    const entry = new Map<string, string[]>();
    for (const line of lines) {
      const m = /^([\w-]+):(:?) ?(.*)$/.exec(line)!;
      const value = m[2] ? Buffer.from(m[3], 'base64').toString('utf8') : m[3];
      entry.set(m[1].toLowerCase(), [...(entry.get(m[1].toLowerCase()) ?? []), value]);
    }
    entries.push(entry);
  }
  return entries;
}
