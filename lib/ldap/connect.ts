/**
 * How idrecon reaches a domain controller: which URLs it accepts (no global catalog, no password
 * in clear unless the admin says so), the TLS settings (certificate checks always on, a private CA
 * from a file), and what the DC's or the network's failures mean in an admin's words.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { Client } from 'ldapts';
import { IdreconError } from '../errors';

export interface DcOptions {
  url: string;
  bindDn: string;
  password: string;
  startTls: boolean;
  caFile?: string;
  insecurePlainLdap: boolean;
  /** Milliseconds one request (a bind, a page) may take before the connection is given up. */
  timeoutMs: number;
}

/** The global catalog's ports: it carries no mS-DS-ConsistencyGuid (domain.md section 6). */
const GC_PORTS = [3268, 3269];

/** Checks the URL and the TLS choice before anything goes on the network. */
export function checkUrl(options: Pick<DcOptions, 'url' | 'startTls' | 'insecurePlainLdap'>): URL {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new IdreconError('USAGE', `--ldap-url: expected ldaps://HOST or ldap://HOST, got '${options.url}'`);
  }
  if (url.protocol !== 'ldap:' && url.protocol !== 'ldaps:') {
    throw new IdreconError('USAGE', `--ldap-url: expected ldaps://HOST or ldap://HOST, got '${options.url}'`);
  }
  if (url.pathname.length > 1 || url.search) {
    throw new IdreconError('USAGE', `--ldap-url: give the DC only (ldaps://HOST[:PORT]); name where to search with --base-dn, got '${options.url}'`);
  }
  if (GC_PORTS.includes(Number(url.port))) {
    throw new IdreconError(
      'USAGE',
      `--ldap-url: port ${url.port} is the global catalog, which does not hold mS-DS-ConsistencyGuid; query a DC of each domain on its own port (ldaps://HOST, port 636; or ldap://HOST with --start-tls, port 389), one export per domain`,
    );
  }
  if (url.protocol === 'ldaps:' && options.startTls) {
    throw new IdreconError('USAGE', '--start-tls: ldaps:// is already encrypted; use ldap://HOST with --start-tls, or ldaps://HOST without it');
  }
  if (url.protocol === 'ldap:' && !options.startTls && !options.insecurePlainLdap) {
    throw new IdreconError(
      'USAGE',
      `--ldap-url: ${options.url} without --start-tls would send the password in clear; use ldaps://, or add --start-tls (or --insecure-plain-ldap on a lab network you trust)`,
    );
  }
  return url;
}

/** Node checks the certificate against the host name (or IP address) of the URL: never turned off. */
export function tlsOptions(url: URL, caFile: string | undefined): ConnectionOptions {
  let ca: Buffer | undefined;
  if (caFile) {
    try {
      ca = readFileSync(caFile);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
      throw new IdreconError('INPUT_NOT_FOUND', `cannot read the CA certificate (${reason}); check the path`, { file: caFile });
    }
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // SNI may not carry an IP address; the host name is checked against the certificate either way.
  return { host, ...(isIP(host) ? {} : { servername: host }), rejectUnauthorized: true, ...(ca ? { ca } : {}) };
}

/** A connected, bound client. */
export async function connect(options: DcOptions, url: URL, tls: ConnectionOptions): Promise<Client> {
  // Loaded here, not at start-up: every other command would pay for it.
  const { Client } = await import('ldapts');
  const client = new Client({
    url: `${url.protocol}//${url.host}`,
    timeout: options.timeoutMs,
    connectTimeout: options.timeoutMs,
    ...(url.protocol === 'ldaps:' ? { tlsOptions: tls } : {}),
  });
  try {
    if (options.startTls) await client.startTLS(tls);
    await client.bind(options.bindDn, options.password);
  } catch (err) {
    await client.unbind().catch(() => undefined);
    throw err;
  }
  return client;
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** Failures worth another attempt: the network, a DC that stopped answering, or that says it is busy. */
export function isTransient(err: unknown): boolean {
  const e = err as { code?: unknown; message?: string };
  if (typeof e.code === 'number') return e.code === 51 || e.code === 52; // busy, unavailable
  if (typeof e.code === 'string') return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN'].includes(e.code);
  return /Connection closed|Socket error|timed out|Connection timeout|socket hang up|Socket connection not established/i.test(e.message ?? '');
}

/** The failure in words, for one line on the terminal. Never holds the password: only the DC's own words and Node's. */
export function describe(err: unknown, options: Pick<DcOptions, 'url' | 'bindDn' | 'caFile'>): string {
  const e = err as { code?: unknown; message?: string; name?: string };
  const dc = options.url;
  const said = (e.message ?? String(err)).replace(/\s+/g, ' ').trim();
  switch (e.code) {
    case 49:
      return `${dc} refused the bind of ${options.bindDn}: wrong password or user, or the account is disabled, locked or expired (${said}); check IDRECON_LDAP_PASSWORD and --bind-dn`;
    case 8:
    case 13:
      return `${dc} requires an encrypted connection for a simple bind (${said}); use ldaps:// or --start-tls`;
    case 32:
      return `${dc}: the base DN does not exist (${said}); check --base-dn`;
    case 50:
      return `${dc}: ${options.bindDn} may not read there (${said}); give the account read access, see docs/export.md`;
  }
  if (typeof e.code === 'string' && TLS_CODES.has(e.code)) {
    const ca = options.caFile ? `the CA in ${options.caFile} did not issue it` : 'it is not issued by a CA this machine trusts';
    // OpenSSL's words only: Node.js 24 and later add advice about their own command line, which
    // an admin running idrecon cannot follow as written and which contradicts --ca-file.
    const openssl = said.split('; ')[0];
    return `${dc}: the DC's certificate is not trusted (${e.code}: ${openssl}): ${ca}; give the CA that issued it with --ca-file`;
  }
  if (e.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `${dc}: the DC's certificate is for another name (${said}); connect with the name the certificate carries`;
  }
  if (e.code === 'CERT_HAS_EXPIRED' || e.code === 'CERT_NOT_YET_VALID') {
    return `${dc}: the DC's certificate is not valid now (${e.code}); renew it on the DC`;
  }
  if (e.code === 'ECONNREFUSED') return `${dc}: nothing answers there (connection refused); check the host, the port and that the DC is up`;
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `${dc}: the host name does not resolve (${e.code}); check --ldap-url`;
  if (typeof e.code === 'number') return `${dc} answered with LDAP result ${e.code} (${said})`;
  return `${dc}: ${said}`;
}
