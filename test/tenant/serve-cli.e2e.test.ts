/**
 * `idrecon tenant serve` as an admin runs it: the built CLI (dist/, built by `npm test`) in a
 * child process on an ephemeral port, driven by the real MSAL and Graph client.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { msalTokens } from '../../lib/graph/auth';
import { createGraphClient } from '../../lib/graph/client';
import { exportCloud } from '../../lib/graph/export';
import { request } from 'node:https';
import { CLIENT_ID, SECRET, TENANT_ID, csvFile, fastClock, readText, tempDir, written } from './harness';
import { makeTls } from './tls';

/** One https request trusting the test CA only; the answer's status and parsed body. */
function https(url: string, ca: Buffer, method: string, headers: Record<string, string>, body?: string): Promise<[number, any]> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve([res.statusCode ?? 0, JSON.parse(Buffer.concat(chunks).toString() || 'null')]));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const BIN = join(__dirname, '../../bin/idrecon.js');
const SEED = [
  'id,userPrincipalName,displayName,onPremisesImmutableId,onPremisesSyncEnabled,mail,proxyAddresses,directoryRoles,privilegedRole,onPremisesObjectIdentifier,onPremisesProvisioningErrors',
  'fc89aecb-01f8-5eda-b459-7cb174e6fb37,carol.clark@contoso.com,"Clark, Carol",,,carol.clark@contoso.com,,,False,,',
  '5834ed9a-37b9-5db5-a033-1891f88f8c2d,sam.scott@contoso.com,"Scott, Sam",AVbeuYzHPFWU1InXHzDR5A==,True,sam.scott@contoso.com,,,False,,',
];

/** Polls a file until it holds the expected text (the tenant saves within a second of a change). */
async function eventually(file: string, expected: string): Promise<string> {
  let text = '';
  for (let i = 0; i < 100 && text !== expected; i++) {
    await delay(50);
    text = existsSync(file) ? readText(file) : '';
  }
  return text;
}

describe('idrecon tenant serve', () => {
  let child: ChildProcess | undefined;
  afterEach(() => child?.kill('SIGTERM'));

  it('prints its URL, answers MSAL and the Graph client, and keeps --save up to date', async () => {
    const dir = tempDir();
    const seed = csvFile(dir, 'seed.csv', ...SEED);
    const saved = join(dir, 'saved.csv');
    const args = ['tenant', 'serve', '--users', seed, '--port', '0', '--tenant-id', TENANT_ID, '--client-id', CLIENT_ID, '--save', saved, '--fault-unavailable', '0.5', '--seed', '7'];
    child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, IDRECON_CLIENT_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
    const [first] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const url = /^local tenant at (http:\/\/127\.0\.0\.1:\d+) \(2 users, 2 domains\)$/.exec(first)?.[1];
    expect(url).toBeDefined();

    expect(await eventually(saved, written(...SEED))).toBe(written(...SEED));

    const clock = fastClock();
    const credentials = { tenantId: TENANT_ID, clientId: CLIENT_ID, clientSecret: SECRET, loginUrl: url! };
    const retried: string[] = [];
    const graph = createGraphClient({ graphUrl: url!, tokens: await msalTokens(credentials), clock, onRetry: (e) => retried.push(e.reason) });
    await graph.api('/users/carol.clark@contoso.com').patch({ onPremisesImmutableId: 'MXiqdGCsbEy88DxCsxC66g==' });
    const after = [SEED[0], 'fc89aecb-01f8-5eda-b459-7cb174e6fb37,carol.clark@contoso.com,"Clark, Carol",MXiqdGCsbEy88DxCsxC66g==,,carol.clark@contoso.com,,,False,,', SEED[2]];
    expect(await eventually(saved, written(...after))).toBe(written(...after));

    const out = join(dir, 'export.csv');
    const result = await exportCloud({ credentials, graphUrl: url!, out, pageSize: 1, maxRetries: 10 }, clock);
    expect(new Set([...retried, ...result.retries.map((r) => r.reason)])).toEqual(new Set(['503']));
    expect(readText(out)).toBe(written(...after));

    child.kill('SIGTERM');
    const [code, signal] = await once(child, 'exit');
    expect([code, signal]).toEqual([143, null]);
    child = undefined;
  });

  it('serves https with --tls-cert/--tls-key and grants the app only the --permissions given', async () => {
    const dir = tempDir();
    const tls = makeTls();
    writeFileSync(join(dir, 'tls.crt'), tls.cert);
    writeFileSync(join(dir, 'tls.key'), tls.key);
    const args = ['tenant', 'serve', '--users', csvFile(dir, 'seed.csv', ...SEED), '--tenant-id', TENANT_ID, '--client-id', CLIENT_ID];
    args.push('--permissions', 'User.Read.All', '--tls-cert', join(dir, 'tls.crt'), '--tls-key', join(dir, 'tls.key'));
    child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, IDRECON_CLIENT_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
    const [first] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const url = /^local tenant at (https:\/\/127\.0\.0\.1:\d+) /.exec(first)?.[1];
    expect(url).toBeDefined();
    const ca = readFileSync(tls.caFile);
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET, scope: 'https://graph.microsoft.com/.default' }).toString();
    const [, tokenAnswer] = await https(`${url}/${TENANT_ID}/oauth2/v2.0/token`, ca, 'POST', { 'Content-Type': 'application/x-www-form-urlencoded' }, form);
    const auth = { Authorization: `Bearer ${tokenAnswer.access_token}` };
    expect((await https(`${url}/v1.0/users?$select=id`, ca, 'GET', auth))[0]).toBe(200);
    const [status, denied] = await https(`${url}/v1.0/users/carol.clark@contoso.com`, ca, 'PATCH', { ...auth, 'Content-Type': 'application/json' }, '{"displayName":"X"}');
    expect([status, denied.error.code]).toEqual([403, 'Authorization_RequestDenied']);
  });
});
