import { resolve } from 'node:path';
import { z } from 'zod';
import { IdreconError } from '../errors';
import { realClock } from '../graph/clock';
import { SIGN_IN, SIGN_IN_OPTIONS, credentialsFrom } from '../graph/signin-options';
import { Progress } from '../io/progress';
import { type Command, declare, helpOf, shapeOf } from '../options';
import { CLOUD_CSV_COLUMNS } from '../formats/cloud-users';
import { DOMAIN_CSV_COLUMNS } from '../formats/domains';

const USAGE = `Exports every Entra ID user, with the properties reconcile needs, to the cloud CSV that
reconcile reads, and optionally the tenant's domains.

Usage:
  idrecon export cloud --out FILE --tenant-id ID --client-id ID [--certificate PEM] [options]

The app authenticates with client credentials: a client secret read from the environment variable
named by --client-secret-env (IDRECON_CLIENT_SECRET unless told otherwise; never on the command
line), or --certificate, a PEM file with the private key and the certificate. The app needs
User.Read.All (or User.ReadWrite.All) and Domain.Read.All application permissions, and for the roles
RoleManagement.Read.Directory, RoleEligibilitySchedule.Read.Directory and GroupMember.Read.All:
docs/entra-app.md. What Graph refuses is said on stderr and left empty, never guessed.
Pages are streamed to disk; throttling (429), 503, 504 and dropped connections are retried and
the export goes on from the page that failed. The file appears only when complete.
To rehearse against the local tenant of 'idrecon tenant serve', pass --graph-url and --login-url
with the URL it prints: docs/tenant.md. Exit codes: 0 done, 2 bad usage, 4 sign-in or Graph failed.`;

const number = () => z.coerce.number({ error: 'expected a number' }).int();

const OPTIONS = {
  out: declare('string', z.string({ error: 'expected a file name' }), `cloud CSV to write (${CLOUD_CSV_COLUMNS.join(',')})`),
  domainsOut: declare('string', z.string().optional(), `domains CSV to write (${DOMAIN_CSV_COLUMNS.join(',')})`),
  settingsOut: declare('string', z.string().optional(), 'JSON file for the tenant sync settings (GET /directory/onPremisesSynchronization), if Graph lets the app read them'),
};

const PAGING = {
  pageSize: declare('number', number().min(1, { error: 'expected 1 to 999' }).max(999, { error: 'expected 1 to 999' }).default(999), 'users per page, 1..999'),
  maxRetries: declare('number', number().min(0, { error: 'expected 0 or more' }).default(10), 'retries of one request before giving up'),
};

const Args = z.object(shapeOf({ ...SIGN_IN, ...OPTIONS, ...PAGING }));
type Args = z.infer<typeof Args>;

export const exportCommand: Command<Args> = {
  name: 'export cloud',
  summary: 'export Entra ID users (and domains) to the cloud CSV reconcile reads',
  usage: USAGE,
  options: { ...helpOf(OPTIONS), ...SIGN_IN_OPTIONS, ...helpOf(PAGING) },
  schema: Args,
  async run(args, io) {
    if (args.domainsOut && resolve(args.domainsOut) === resolve(args.out)) {
      throw new IdreconError('USAGE', '--domains-out: expected another file than --out: the users and the domains are two files', { file: args.out });
    }
    const progress = new Progress(io.stderr);
    // The Graph client is loaded when a command uses it, not at every start-up.
    const { exportCloud } = await import('../graph/export');
    const result = await exportCloud(
      {
        credentials: credentialsFrom(args),
        graphUrl: args.graphUrl,
        out: args.out,
        domainsOut: args.domainsOut,
        settingsOut: args.settingsOut,
        pageSize: args.pageSize,
        maxRetries: args.maxRetries,
      },
      realClock,
      {
        onUser: (users) => progress.tick('users exported', users),
        // Long waits should not look like a hang: each retry is said, with its reason and wait.
        onRetry: (e) => {
          progress.done();
          const what = /^\d+$/.test(e.reason) ? `answered ${e.reason}` : `failed: ${e.reason}`;
          io.stderr.write(`idrecon: ${new URL(e.url).pathname} ${what}; retry ${e.retry} of ${args.maxRetries} in ${(e.waitMs / 1000).toFixed(1)} s\n`);
        },
      },
    );
    progress.done();
    const domains = args.domainsOut ? `, ${count(result.domains, 'domain')} to ${args.domainsOut}` : '';
    io.stdout.write(`exported ${count(result.users, 'user')} in ${count(result.pages, 'page')} (${count(result.retries.length, 'retry', 'retries')}) to ${args.out}${domains}\n`);
    const { assignments, eligibilities, usersWithRoles } = result.roles;
    io.stdout.write(
      `roles: ${count(assignments, 'active assignment')}, ${eligibilities === 'unknown' ? 'eligible roles unknown' : count(eligibilities, 'eligibility', 'eligibilities')}, ${count(usersWithRoles, 'user')} with a role\n`,
    );
    if (result.settingsSaved) io.stdout.write(`tenant settings saved to ${args.settingsOut}\n`);
    for (const note of result.notes) io.stderr.write(`idrecon: note: ${note}\n`);
    return 0;
  },
};

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
