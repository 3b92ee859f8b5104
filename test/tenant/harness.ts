/**
 * Shared set-up for tests that talk to the local tenant over real HTTP: the tenant in-process on
 * an ephemeral port, real MSAL for tokens, the real Graph client, and a clock whose sleep moves
 * time forward at once, shared by client and tenant, so Retry-After waits cost nothing.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@microsoft/microsoft-graph-client';
import { type Credentials, msalTokens } from '../../lib/graph/auth';
import type { Clock } from '../../lib/graph/clock';
import { createGraphClient } from '../../lib/graph/client';
import type { Limit } from '../../lib/graph/limits';
import type { RetryEvent, RetryPolicy } from '../../lib/graph/retry';
import { type LocalTenant, type TenantOptions, startTenant } from '../../lib/tenant/server';
import { type CloudUser, readCloudUsers } from '../../lib/formats/cloud-users';

export const TENANT_ID = 'b9f3e1c2-5d4a-4e6f-8a7b-0c1d2e3f4a5b';
export const CLIENT_ID = '3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b0a';
export const SECRET = 'local-test-secret-value';

export interface FastClock extends Clock {
  slept: number[];
}

export function fastClock(): FastClock {
  let t = Date.now();
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'idrecon-test-'));
}

/** A CSV file from lines of text, as an admin's tool would write it. */
export function csvFile(dir: string, name: string, ...lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** What the CSV writer produces for these lines: a byte order mark and CRLF line ends. */
export const written = (...lines: string[]): string => `\uFEFF${lines.join('\r\n')}\r\n`;

export const readText = (file: string): string => readFileSync(file, 'utf8');

export const usersFrom = async (dir: string, ...lines: string[]): Promise<CloudUser[]> => readCloudUsers(csvFile(dir, 'seed.csv', ...lines));

export async function serve(options: Partial<TenantOptions> & { users: CloudUser[] }, clock?: Clock): Promise<LocalTenant> {
  return startTenant({ app: { tenantId: TENANT_ID, clientId: CLIENT_ID, secret: SECRET }, now: clock?.now, ...options });
}

export function credentials(tenant: LocalTenant, more: Partial<Credentials> = {}): Credentials {
  return { tenantId: TENANT_ID, clientId: CLIENT_ID, clientSecret: SECRET, loginUrl: tenant.url, ...more };
}

export async function client(
  tenant: LocalTenant,
  clock?: Clock,
  more: { retry?: Partial<RetryPolicy>; onRetry?: (e: RetryEvent) => void; credentials?: Partial<Credentials>; writeBudget?: Limit } = {},
): Promise<Client> {
  const tokens = await msalTokens(credentials(tenant, more.credentials));
  return createGraphClient({ graphUrl: tenant.url, tokens, clock, retry: more.retry, onRetry: more.onRetry, writeBudget: more.writeBudget });
}

/** What the Graph client threw, as the fields a test compares. */
export async function graphError(p: Promise<unknown>): Promise<{ statusCode: number; code: string; message: string; body: any }> {
  try {
    await p;
  } catch (err) {
    const e = err as { statusCode: number; code: string; message: string; body: string };
    return { statusCode: e.statusCode, code: e.code, message: e.message, body: e.body ? JSON.parse(e.body) : undefined };
  }
  throw new Error('expected the request to fail');
}

/** A self-signed certificate and its key, made by openssl, in one PEM file as Azure expects, plus the certificate alone. */
export function makeCertificate(dir: string, name = 'app'): { pem: string; certificate: X509Certificate } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=idrecon-${name}`], { stdio: 'ignore' });
  const pem = join(dir, `${name}.pem`);
  writeFileSync(pem, readFileSync(key, 'utf8') + readFileSync(cert, 'utf8'));
  return { pem, certificate: new X509Certificate(readFileSync(cert)) };
}

/** n users with predictable ids, UPNs and ImmutableIDs; every 7th has none, every 11th is synced. */
export function seededUsers(n: number): CloudUser[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    userPrincipalName: `user${i}@contoso.com`,
    displayName: `User, ${i}`,
    onPremisesImmutableId: i % 7 === 0 ? null : Buffer.from(`anchor-${i}`).toString('base64'),
    onPremisesSyncEnabled: i % 11 === 0 ? true : null,
    mail: i % 5 === 0 ? null : `user${i}@contoso.com`,
    privilegedRole: false,
  }));
}
