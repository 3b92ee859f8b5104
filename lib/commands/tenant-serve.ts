import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { IdreconError } from '../errors';
import { startTenant } from '../tenant/server';
import { type TenantState } from '../tenant/state';
import { DOMAIN_CSV_COLUMNS, readDomainList } from '../formats/domains';
import { readCloudUsers } from '../formats/cloud-users';
import { WRITE_BUDGET } from '../tenant/throttle';
import { IDRECON_PERMISSIONS } from '../tenant/token';
import { type Command, declare, helpOf, shapeOf } from '../options';

const USAGE = `Serves a local, Graph v1.0-compatible tenant on 127.0.0.1, seeded from a cloud export, to
rehearse exports and fixes without touching a real tenant.

Usage:
  idrecon tenant serve --users cloud.csv [--domains domains.csv] [--port 0] [options]

Graph is at URL/v1.0 (users, users/{id|upn}, domains, $batch) and the token endpoint at
URL/{tenant-id}/oauth2/v2.0/token. Callers authenticate as the app --client-id with the secret
in the environment variable --client-secret-env names, or with a certificate assertion signed
by the key of --certificate (a PEM certificate); the app holds the application permissions
--permissions names (default: what idrecon needs). With --tls-cert and --tls-key it serves
HTTPS, and the OpenID discovery documents Microsoft's libraries ask for. Graph's rules, throttling (429 with Retry-After)
and, on request, faults (503, 504, dropped connections, latency) are applied; --save keeps a
cloud CSV of the current state. Runs until interrupted. See docs/tenant.md.`;

const FRACTION = { error: 'expected a fraction 0..1' };
const fraction = z.coerce.number(FRACTION).min(0, FRACTION).max(1, FRACTION).default(0);
const count = (d: number) => z.coerce.number({ error: 'expected a whole number' }).int().min(0, { error: 'expected 0 or more' }).default(d);

const OPTIONS = {
  users: declare('string', z.string({ error: 'expected a cloud CSV file name' }), 'cloud CSV to seed the users from (the format export cloud writes)'),
  domains: declare('string', z.string().optional(), `domains CSV (${DOMAIN_CSV_COLUMNS.join(',')})`, 'every UPN suffix, managed'),
  port: declare(
    'number',
    z.coerce.number({ error: 'expected a port number' }).int().min(0, { error: 'expected 0..65535' }).max(65535, { error: 'expected 0..65535' }).default(0),
    'port on 127.0.0.1',
    '0: any free port',
  ),
  tenantId: declare('string', z.string().min(1).default('00000000-0000-4000-8000-00000000d1d0'), 'tenant id callers must name'),
  clientId: declare('string', z.string().min(1).default('00000000-0000-4000-8000-0000000a9901'), 'the one app allowed to sign in'),
  clientSecretEnv: declare('string', z.string().default('IDRECON_CLIENT_SECRET'), "environment variable holding the app's secret"),
  certificate: declare('string', z.string().optional(), "the app's certificate (PEM; a file with the key too is fine), for certificate sign-in"),
  permissions: declare(
    'string',
    z
      .string()
      .default(IDRECON_PERMISSIONS.join(','))
      .transform((v) => v.split(',').map((p) => p.trim()).filter(Boolean)),
    'application permissions granted to the app, comma-separated',
  ),
  tlsCert: declare('string', z.string().optional(), 'PEM certificate to serve HTTPS with (with --tls-key)'),
  tlsKey: declare('string', z.string().optional(), 'PEM private key of --tls-cert'),
  save: declare('string', z.string().optional(), 'cloud CSV kept up to date with the tenant (written within a second of each change)'),
  writeBudget: declare('number', count(WRITE_BUDGET.limit), 'writes per window per app before 429'),
  writeWindow: declare(
    'number',
    z.coerce.number({ error: 'expected a whole number of seconds' }).int().min(1, { error: 'expected 1 or more' }).default(WRITE_BUDGET.windowMs / 1000),
    'seconds of the write window',
  ),
  resourceUnits: declare(
    'number',
    z.coerce.number({ error: 'expected a whole number' }).int().min(1, { error: 'expected 1 or more' }).optional(),
    'resource units per 10 s per app',
    'by tenant size, 3500/5000/8000',
  ),
  faultUnavailable: declare('number', fraction, 'fraction of Graph requests answered 503 Service Unavailable'),
  faultTimeout: declare('number', fraction, 'fraction of Graph requests answered 504 Gateway Timeout'),
  faultDrop: declare('number', fraction, 'fraction of Graph requests whose connection is dropped'),
  latency: declare('number', count(0), 'add a random 0..N ms to each Graph request'),
  seed: declare('number', count(1), 'seed of the fault sequence and of the $batch answer order, to repeat a run'),
  pim: declare('boolean', z.boolean().default(true), '--no-pim: the tenant has no PIM licence, so role eligibility cannot be read'),
};

const Args = z.object(shapeOf(OPTIONS));
type Args = z.infer<typeof Args>;

export const tenantCommand: Command<Args> = {
  name: 'tenant serve',
  summary: 'serve a local Graph-compatible tenant seeded from a cloud CSV',
  usage: USAGE,
  options: helpOf(OPTIONS),
  schema: Args,
  async run(args, io) {
    const secret = process.env[args.clientSecretEnv] || undefined;
    const certificate = args.certificate ? await readCertificate(args.certificate) : undefined;
    if (!secret && !certificate) {
      throw new IdreconError('USAGE', `no app credential to accept: set a secret in the environment variable ${args.clientSecretEnv}, or give --certificate`);
    }
    if (!args.tlsCert !== !args.tlsKey) throw new IdreconError('USAGE', 'give --tls-cert and --tls-key together, or neither');
    const tls = args.tlsCert && args.tlsKey ? { cert: await readPem(args.tlsCert), key: await readPem(args.tlsKey) } : undefined;
    const users = await readCloudUsers(args.users);
    const domains = args.domains ? await readDomainList(args.domains) : undefined;
    const saver = args.save ? new Saver(args.save, io.stderr) : undefined;
    const tenant = await startTenant({
      users,
      domains,
      port: args.port,
      app: { tenantId: args.tenantId, clientId: args.clientId, secret, certificate, permissions: args.permissions },
      tls,
      throttle: {
        writes: { limit: args.writeBudget, windowMs: args.writeWindow * 1000 },
        ...(args.resourceUnits ? { resourceUnits: { limit: args.resourceUnits, windowMs: 10_000 } } : {}),
      },
      faults: { rate503: args.faultUnavailable, rate504: args.faultTimeout, rateDrop: args.faultDrop, latencyMs: args.latency, seed: args.seed },
      batchSeed: args.seed,
      onChange: () => saver?.changed(tenant.state),
      pim: args.pim,
    });
    if (saver) saver.changed(tenant.state);
    io.stdout.write(
      `local tenant at ${tenant.url} (${users.length} users, ${tenant.state.listDomains().length} domains)\n` +
        `  export: idrecon export cloud --graph-url ${tenant.url} --login-url ${tenant.url} --tenant-id ${args.tenantId} --client-id ${args.clientId} --out cloud.csv\n`,
    );
    await tenant.closed;
    return 0;
  },
};

async function readPem(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new IdreconError('INPUT_NOT_FOUND', `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file });
  }
}

async function readCertificate(file: string): Promise<X509Certificate> {
  try {
    return new X509Certificate(await readFile(file));
  } catch (err) {
    throw new IdreconError('INPUT_VALUE', `cannot read a PEM certificate from the file (${(err as Error).message})`, { file });
  }
}

/** Writes the state a second after a change (changes within that second share the write), one write at a time. */
class Saver {
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly stderr: NodeJS.WritableStream,
  ) {}

  changed(state: TenantState): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.saving = this.saving
        .then(() => state.dump(this.file))
        .catch((err: Error) => {
          this.stderr.write(`idrecon: cannot save the tenant to ${this.file} (${err.message})\n`);
        });
    }, 1_000);
  }
}
