/**
 * App-only tokens for Graph through MSAL's client credentials flow, with a client secret or a
 * certificate. MSAL caches the token and renews it before it expires. A tenant that is not
 * Microsoft's public cloud (a sovereign cloud, or the local tenant of `idrecon tenant serve`) is
 * reached by configuration: its token endpoint is given to MSAL as authority metadata, so MSAL
 * never runs discovery against it.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Configuration } from '@azure/msal-node';
import { IdreconError } from '../errors';
import { PUBLIC_LOGIN_URL } from './endpoints';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export interface Credentials {
  tenantId: string;
  clientId: string;
  /** Exactly one of a secret and a certificate file (PEM with the private key and the certificate). */
  clientSecret?: string;
  certificateFile?: string;
  /** Where the tenant's token endpoint lives: Microsoft's public cloud unless told otherwise. */
  loginUrl: string;
}

export interface TokenSource {
  token(): Promise<string>;
}

interface Certificate {
  thumbprintSha256: string;
  privateKey: string;
  x5c: string;
}

/** The private key and the certificate of one PEM file, as Azure portal and openssl write them. */
export async function readCertificate(file: string): Promise<Certificate> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    throw new IdreconError('INPUT_NOT_FOUND', `cannot read the certificate (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file });
  }
  const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const keyPem = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (!certPem || !keyPem) {
    throw new IdreconError('INPUT_VALUE', 'expected a PEM file holding both the private key (BEGIN PRIVATE KEY) and the certificate (BEGIN CERTIFICATE)', { file });
  }
  try {
    const cert = new X509Certificate(certPem);
    // MSAL wants PKCS#8 ("BEGIN PRIVATE KEY"); openssl's older default is PKCS#1.
    const privateKey = createPrivateKey(keyPem).export({ format: 'pem', type: 'pkcs8' }).toString();
    return { thumbprintSha256: cert.fingerprint256.replace(/:/g, '').toLowerCase(), privateKey, x5c: certPem };
  } catch (err) {
    throw new IdreconError('INPUT_VALUE', `the certificate or its private key cannot be read (${(err as Error).message}); an encrypted key must be decrypted first`, { file });
  }
}

export async function msalConfiguration(c: Credentials): Promise<Configuration> {
  const login = new URL(c.loginUrl);
  const tenantBase = `${login.origin}/${encodeURIComponent(c.tenantId)}`;
  const isPublicCloud = login.origin === PUBLIC_LOGIN_URL;
  const credential = c.certificateFile ? { clientCertificate: await readCertificate(c.certificateFile) } : { clientSecret: c.clientSecret };
  if (isPublicCloud) return { auth: { clientId: c.clientId, authority: tenantBase, ...credential } };
  // MSAL insists on an https authority; the metadata (which may name plain http on loopback) is what it actually uses.
  const authorityHost = login.host;
  return {
    auth: {
      clientId: c.clientId,
      authority: `https://${authorityHost}/${encodeURIComponent(c.tenantId)}`,
      knownAuthorities: [authorityHost],
      authorityMetadata: JSON.stringify({
        token_endpoint: `${tenantBase}/oauth2/v2.0/token`,
        issuer: `${tenantBase}/v2.0`,
        authorization_endpoint: `${tenantBase}/oauth2/v2.0/authorize`,
        jwks_uri: `${tenantBase}/discovery/v2.0/keys`,
        end_session_endpoint: `${tenantBase}/oauth2/v2.0/logout`,
      }),
      ...credential,
    },
  };
}

export async function msalTokens(c: Credentials): Promise<TokenSource> {
  if (!c.clientSecret === !c.certificateFile) {
    throw new IdreconError('USAGE', 'give the app credential as a client secret (environment variable) or as --certificate, exactly one of them');
  }
  // Loaded here, not at start-up: reconcile and plan never sign in.
  const { ConfidentialClientApplication } = await import('@azure/msal-node');
  const app = new ConfidentialClientApplication(await msalConfiguration(c));
  return {
    async token() {
      try {
        const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
        if (!result?.accessToken) throw new Error('the token endpoint returned no access token');
        return result.accessToken;
      } catch (err) {
        throw authFailed(err, c);
      }
    },
  };
}

/** MSAL's error code and the first line of the service's description; never the credential itself. */
function authFailed(err: unknown, c: Credentials): IdreconError {
  const e = err as { errorCode?: string; errorMessage?: string; message?: string };
  const text = e.errorMessage || e.message || String(err);
  // MSAL wraps the service's description in "Error(s): ... - Description: X - Correlation ID: ..."; X is what an admin needs.
  const description = /Description: (.*?) - Correlation ID/.exec(text)?.[1] ?? text.split(/\r?\n/)[0];
  let detail = `${e.errorCode ? `${e.errorCode}: ` : ''}${description}`;
  if (c.clientSecret) detail = detail.split(c.clientSecret).join('***');
  return new IdreconError('AUTH_FAILED', `cannot get a token for app ${c.clientId} in tenant ${c.tenantId} from ${c.loginUrl} (${detail})`);
}
