/**
 * The sign-in options every command that talks to a tenant takes, parsed once: the app's ids, its
 * credential (a secret from the environment, never the command line, or a certificate) and where
 * the tenant is (Microsoft's public cloud, another cloud, or the local tenant).
 */
import { z } from 'zod';
import { IdreconError } from '../errors';
import { declare, helpOf, shapeOf } from '../options';
import type { Credentials } from './auth';
import { PUBLIC_GRAPH_URL, PUBLIC_LOGIN_URL } from './endpoints';

const url = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).transform((u) => u.replace(/\/+$/, ''));

export const SIGN_IN = {
  tenantId: declare('string', z.string({ error: 'expected the directory (tenant) id or a verified domain name' }).min(1), 'directory (tenant) id'),
  clientId: declare('string', z.string({ error: "expected the app registration's application (client) id" }).min(1), 'application (client) id of the app registration'),
  clientSecretEnv: declare('string', z.string().default('IDRECON_CLIENT_SECRET'), 'environment variable holding the client secret'),
  certificate: declare('string', z.string().optional(), 'PEM file with the private key and certificate, instead of a secret'),
  graphUrl: declare('string', url.default(PUBLIC_GRAPH_URL), 'Graph endpoint'),
  loginUrl: declare('string', url.default(PUBLIC_LOGIN_URL), 'login endpoint'),
};

export const SignInArgs = z.object(shapeOf(SIGN_IN));
export type SignInArgs = z.infer<typeof SignInArgs>;

export const SIGN_IN_OPTIONS = helpOf(SIGN_IN);

export function credentialsFrom(args: SignInArgs, env: NodeJS.ProcessEnv = process.env): Credentials {
  const clientSecret = args.certificate ? undefined : env[args.clientSecretEnv];
  if (!args.certificate && !clientSecret) {
    throw new IdreconError('USAGE', `no credential: set the client secret in the environment variable ${args.clientSecretEnv}, or give --certificate`);
  }
  return { tenantId: args.tenantId, clientId: args.clientId, clientSecret, certificateFile: args.certificate, loginUrl: args.loginUrl };
}
