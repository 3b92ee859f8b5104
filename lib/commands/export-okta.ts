import { z } from 'zod';
import { IdreconError } from '../errors';
import { realClock } from '../graph/clock';
import { Progress } from '../io/progress';
import type { OktaCredentials } from '../okta/auth';
import { exportOkta } from '../okta/export';
import { type Command, declare, helpOf, shapeOf } from '../options';

const USAGE = `Exports the users of Okta's Office 365 app, with the ImmutableID Okta pushes for each of them
(profile.immutableId) and their AD externalId, to the Okta CSV that plan --okta and
reconcile --okta read.

Usage:
  idrecon export okta --org-url URL --app-id 0oa... --out FILE --client-id ID --private-key FILE [options]

Signs in as an Okta API Services app with a private key (PEM or JWK file; docs/export.md#okta):
scopes okta.apps.read, and okta.users.read with --app-links; the app needs the Read-only
Administrator role. Without --private-key, an SSWS API token is read from the environment variable
named by --api-token-env (IDRECON_OKTA_API_TOKEN unless told otherwise; never on the command line).
Okta's rate limits are read from its answers and kept to; 429, 502, 503, 504 and dropped
connections are retried. The file appears only when complete. Exit codes: 0 done, 2 bad usage,
4 sign-in or Okta failed.`;

const ids = (what: string) =>
  z.preprocess((v) => (v === undefined ? [] : [v].flat().flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean)), z.array(z.string().regex(/^0oa\w+$/, { error: `expected ${what} ids (0oa...)` })));

const number = () => z.coerce.number({ error: 'expected a number' }).int();

const OPTIONS = {
  orgUrl: declare(
    'string',
    z.url({ protocol: /^https?$/, error: 'expected the http(s) URL of the Okta org' }).transform((u) => u.replace(/\/+$/, '')),
    'the Okta org, e.g. https://contoso.okta.com',
  ),
  appId: declare(
    'string',
    ids('Office 365 app').pipe(z.array(z.string()).min(1, { error: 'expected the Office 365 app id (0oa...), from the URL of the app in the Admin Console' })),
    'Office 365 app instance id (0oa...); repeat or comma-separate for several',
  ),
  adAppId: declare('string', ids('AD app'), 'AD app instance id(s)', 'every active Active Directory app of the org'),
  appLinks: declare('boolean', z.boolean().default(false), "also read each user's app assignment id (0ua...): one request per user"),
  out: declare('string', z.string({ error: 'expected a file name' }), 'Okta CSV to write (docs/export.md#okta)'),
  clientId: declare('string', z.string().optional(), 'client id of the API Services app'),
  privateKey: declare('string', z.string().optional(), "the app's private key: PEM or JWK file"),
  apiTokenEnv: declare('string', z.string().default('IDRECON_OKTA_API_TOKEN'), 'environment variable with an SSWS API token, without --private-key'),
  maxRetries: declare('number', number().min(0, { error: 'expected 0 or more' }).default(10), 'retries of one request before giving up'),
  concurrency: declare('number', number().min(1, { error: 'expected 1 to 16' }).max(16, { error: 'expected 1 to 16' }).default(4), 'appLinks requests in flight at once, 1..16'),
};

const Args = z.object(shapeOf(OPTIONS));
type Args = z.infer<typeof Args>;

function credentialsFrom(args: Args, env: NodeJS.ProcessEnv = process.env): OktaCredentials {
  if (args.privateKey) {
    if (!args.clientId) throw new IdreconError('USAGE', "--client-id: expected the service app's client id with --private-key, got nothing");
    return { kind: 'private-key', clientId: args.clientId, keyFile: args.privateKey };
  }
  const token = env[args.apiTokenEnv];
  if (!token) {
    throw new IdreconError('USAGE', `no credential: give --client-id and --private-key (an API Services app, as Okta recommends), or set an API token in the environment variable ${args.apiTokenEnv}`);
  }
  return { kind: 'ssws', token };
}

export const exportOktaCommand: Command<Args> = {
  name: 'export okta',
  summary: "export the users of Okta's Office 365 app and what Okta pushes as their ImmutableID",
  usage: USAGE,
  options: helpOf(OPTIONS),
  schema: Args,
  async run(args, io) {
    const progress = new Progress(io.stderr);
    const result = await exportOkta(
      {
        orgUrl: args.orgUrl,
        credentials: credentialsFrom(args),
        appIds: args.appId,
        adAppIds: args.adAppId.length ? args.adAppId : undefined,
        appLinks: args.appLinks,
        out: args.out,
        retry: { maxRetries: args.maxRetries },
        concurrency: args.concurrency,
      },
      realClock,
      {
        onRow: (rows) => progress.tick('Okta app users exported', rows),
        onEvent: (e) => {
          // Long waits should not look like a hang: retries, and rate-limit waits over a second, are said.
          if (e.type === 'pace' && e.waitMs < 1_000) return;
          progress.done();
          const what = e.type === 'pace' ? `rate limit (${e.reason})` : /^\d+$/.test(e.reason) ? `answered ${e.reason}` : `failed: ${e.reason}`;
          const then = e.type === 'pace' ? 'waiting' : `retry ${e.retry} of ${args.maxRetries} in`;
          io.stderr.write(`idrecon: Okta ${e.kind} ${what}; ${then} ${(e.waitMs / 1000).toFixed(1)} s\n`);
        },
      },
    );
    progress.done();
    const several = result.severalAd ? `; ${result.severalAd === 1 ? '1 user is' : `${result.severalAd} users are`} in more than one AD instance (note column)` : '';
    io.stdout.write(
      `exported ${result.rows} Okta app users of ${args.appId.length} Office 365 app${args.appId.length === 1 ? '' : 's'} to ${args.out} ` +
        `(${result.requests} requests, ${result.retries.length} retries; AD apps ${result.adAppIds.join(', ') || 'none'}${several})\n`,
    );
    return 0;
  },
};
