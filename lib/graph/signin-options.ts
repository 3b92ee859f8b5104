/**
 * The sign-in options every command that talks to a tenant takes, parsed once: the app's ids, its
 * credential (a secret from the environment, never the command line, or a certificate) and where
 * the tenant is (Microsoft's public cloud, another cloud, or the local tenant).
 */
import type { Options } from 'yargs';
import { z } from 'zod';
import { IdreconError } from '../errors';
import { type Credentials, PUBLIC_LOGIN_URL } from './auth';
import { PUBLIC_GRAPH_URL } from './client';

const url = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).transform((u) => u.replace(/\/+$/, ''));

export const SignInArgs = z.object({
  tenantId: z.string({ error: 'expected the directory (tenant) id or a verified domain name' }).min(1),
  clientId: z.string({ error: "expected the app registration's application (client) id" }).min(1),
  clientSecretEnv: z.string().default('IDRECON_CLIENT_SECRET'),
  certificate: z.string().optional(),
  graphUrl: url.default(PUBLIC_GRAPH_URL),
  loginUrl: url.default(PUBLIC_LOGIN_URL),
});
export type SignInArgs = z.infer<typeof SignInArgs>;

export const SIGN_IN_OPTIONS: Record<string, Options> = {
  'tenant-id': { type: 'string', describe: 'directory (tenant) id' },
  'client-id': { type: 'string', describe: 'application (client) id of the app registration' },
  'client-secret-env': { type: 'string', describe: 'environment variable holding the client secret (default IDRECON_CLIENT_SECRET)' },
  certificate: { type: 'string', describe: 'PEM file with the private key and certificate, instead of a secret' },
  'graph-url': { type: 'string', describe: `Graph endpoint (default ${PUBLIC_GRAPH_URL})` },
  'login-url': { type: 'string', describe: `login endpoint (default ${PUBLIC_LOGIN_URL})` },
};

export function credentialsFrom(args: SignInArgs, env: NodeJS.ProcessEnv = process.env): Credentials {
  const clientSecret = args.certificate ? undefined : env[args.clientSecretEnv];
  if (!args.certificate && !clientSecret) {
    throw new IdreconError('USAGE', `no credential: set the client secret in the environment variable ${args.clientSecretEnv}, or give --certificate`);
  }
  return { tenantId: args.tenantId, clientId: args.clientId, clientSecret, certificateFile: args.certificate, loginUrl: args.loginUrl };
}
