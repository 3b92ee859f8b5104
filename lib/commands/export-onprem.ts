import { z } from 'zod';
import { realClock } from '../graph/clock';
import { IdreconError } from '../errors';
import { Progress } from '../io/progress';
import { AD_PAGE_SIZE, DEFAULT_FILTER, type OnpremExportResult, exportOnprem } from '../ldap/export';
import { type Command, declare, helpOf, shapeOf } from '../options';

export const PASSWORD_ENV = 'IDRECON_LDAP_PASSWORD';

const USAGE = `Exports every AD user under the base DNs, read from a domain controller over LDAP, to the
on-prem CSV that reconcile reads.

Usage:
  idrecon export onprem --ldap-url ldaps://DC --base-dn DN --bind-dn ACCOUNT --out FILE [options]

The account's password is read from the environment variable ${PASSWORD_ENV}, never from the
command line, and is never printed. The connection is encrypted: ldaps:// (port 636), or ldap://
with --start-tls; the DC's certificate is checked (--ca-file for a private CA). A simple bind over
plain LDAP is refused unless --insecure-plain-ldap is given. Query a DC of each domain, not the
global catalog (ports 3268/3269 do not carry mS-DS-ConsistencyGuid). Pages of ${AD_PAGE_SIZE} users are
streamed to disk; a dropped connection starts the export over, --max-retries times. The file
appears only when complete. Exit codes: 0 done, 2 bad usage, 4 the DC refused or failed.
See docs/export.md.`;

const number = () => z.coerce.number({ error: 'expected a number' }).int();

const OPTIONS = {
  ldapUrl: declare('string', z.string({ error: 'expected ldaps://HOST or ldap://HOST' }), 'the DC: ldaps://dc01.contoso.com, or ldap://... with --start-tls'),
  baseDn: declare(
    'strings',
    z.preprocess((v) => (v === undefined ? [] : [v].flat()), z.array(z.string().min(1, { error: 'expected a DN' })).min(1, { error: 'expected a DN, e.g. "DC=contoso,DC=com"' })),
    'where to search, e.g. "DC=contoso,DC=com" (repeatable)',
  ),
  bindDn: declare('string', z.string({ error: 'expected the account to bind as (svc-idrecon@contoso.com or its DN)' }).min(1), 'the read-only account: svc-idrecon@contoso.com, or its DN'),
  out: declare('string', z.string({ error: 'expected a file name' }), 'on-prem CSV to write'),
  startTls: declare('boolean', z.boolean().default(false), 'with ldap://: encrypt the connection with StartTLS before binding'),
  caFile: declare('string', z.string().optional(), "PEM file of the CA that issued the DC's certificate, if not trusted by this machine"),
  insecurePlainLdap: declare('boolean', z.boolean().default(false), 'allow a bind over unencrypted ldap:// (the password crosses the network in clear)'),
  filter: declare('string', z.string().default(DEFAULT_FILTER), 'LDAP filter'),
  pageSize: declare(
    'number',
    number().min(1, { error: `expected 1 to ${AD_PAGE_SIZE}` }).max(AD_PAGE_SIZE, { error: `expected 1 to ${AD_PAGE_SIZE}` }).default(AD_PAGE_SIZE),
    `users per page, 1..${AD_PAGE_SIZE}`,
    `${AD_PAGE_SIZE}, AD's MaxPageSize`,
  ),
  maxRetries: declare('number', number().min(0, { error: 'expected 0 or more' }).default(3), 'times a dropped or stalled connection starts the export over'),
  timeout: declare(
    'number',
    z.coerce.number({ error: 'expected a number of seconds' }).positive({ error: 'expected a number of seconds' }).default(120),
    'seconds one request may take before the connection counts as dropped',
  ),
};

const Args = z.object(shapeOf(OPTIONS));
type Args = z.infer<typeof Args>;

export const exportOnpremCommand: Command<Args> = {
  name: 'export onprem',
  summary: 'export AD users from a domain controller to the on-prem CSV reconcile reads: idrecon export onprem',
  usage: USAGE,
  options: helpOf(OPTIONS),
  schema: Args,
  async run(args, io) {
    const password = process.env[PASSWORD_ENV];
    if (!password) throw new IdreconError('USAGE', `no password: set it in the environment variable ${PASSWORD_ENV} (it is never taken from the command line)`);
    const progress = new Progress(io.stderr);
    const result = await exportOnprem(
      {
        url: args.ldapUrl,
        bindDn: args.bindDn,
        password,
        startTls: args.startTls,
        caFile: args.caFile,
        insecurePlainLdap: args.insecurePlainLdap,
        timeoutMs: args.timeout * 1000,
        baseDns: args.baseDn,
        filter: args.filter,
        pageSize: args.pageSize,
        maxRetries: args.maxRetries,
        out: args.out,
      },
      realClock,
      {
        onUser: (users) => progress.tick('users exported', users),
        onRetry: (e) => {
          progress.done();
          io.stderr.write(`idrecon: ${e.reason}; starting the export over, retry ${e.retry} of ${args.maxRetries} in ${(e.waitMs / 1000).toFixed(1)} s\n`);
        },
      },
    );
    progress.done();
    io.stdout.write(summary(result, args.ldapUrl, args.out));
    return 0;
  },
};

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The terminal summary: totals, then one line per base DN. */
export function summary(r: OnpremExportResult, url: string, out: string): string {
  const refs = r.references ? `; ${count(r.references, 'continuation reference')} not followed` : '';
  const lines = [`exported ${count(r.users, 'user')} in ${count(r.pages, 'page')} from ${url} to ${out} (${count(r.retries, 'retry', 'retries')}${refs})`];
  const head = ['users', 'with UPN', 'without UPN', 'ConsistencyGuid', 'critical', 'disabled'];
  const width = Math.max(8, ...r.perBase.map((b) => b.baseDn.length));
  lines.push([`${'base DN'.padEnd(width)}`, ...head].join('  '));
  for (const { baseDn, counts: c } of r.perBase) {
    const cells = [c.users, c.withUpn, c.withoutUpn, c.withConsistencyGuid, c.critical, c.disabled];
    lines.push([baseDn.padEnd(width), ...cells.map((n, i) => String(n).padStart(head[i].length))].join('  '));
  }
  return `${lines.join('\n')}\n`;
}
