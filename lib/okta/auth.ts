/**
 * Signing in to Okta's management API as an API Services app: the OAuth 2.0 client credentials
 * grant at the org authorization server (POST {org}/oauth2/v1/token, operationId `token` of
 * Okta's oauth spec) with `private_key_jwt` client authentication, the method Okta recommends for
 * service apps. The client assertion is a JWT signed RS256 with node:crypto: iss and sub the
 * client id, aud the token endpoint's URL, a five-minute exp and a fresh jti. An SSWS API token
 * from the environment is the fallback. No secret appears in any message.
 */
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { IdreconError } from '../errors';
import type { Clock } from '../graph/clock';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Okta refuses an assertion whose exp is more than an hour after iat; five minutes is plenty. */
const ASSERTION_LIFETIME_S = 300;
/** A token is renewed this long before Okta says it expires. */
const RENEW_BEFORE_MS = 60_000;

export type OktaCredentials = { kind: 'private-key'; clientId: string; keyFile: string } | { kind: 'ssws'; token: string };

export interface OktaTokens {
  /** The Authorization header value for the next request. */
  header(): Promise<string>;
  /** Forget the current token (after a 401), so the next header() asks for a new one; false when there is no other to get (SSWS). */
  expire(): boolean;
  /** Requests made to the token endpoint so far. */
  readonly requests: number;
}

/** A private key from a PEM file (PKCS#8 or PKCS#1) or a JWK (Okta's admin console generates a JWK). */
export async function readPrivateKey(file: string): Promise<{ key: KeyObject; kid?: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new IdreconError('INPUT_NOT_FOUND', `cannot read the private key (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file });
  }
  try {
    if (text.trimStart().startsWith('{')) {
      const jwk = JSON.parse(text) as { kid?: string; d?: string; kty?: string };
      if (!jwk.d) throw new Error('the JWK holds no private key (no "d")');
      return { key: createPrivateKey({ key: jwk as never, format: 'jwk' }), kid: jwk.kid };
    }
    return { key: createPrivateKey(text) };
  } catch (err) {
    throw new IdreconError('INPUT_VALUE', `the private key cannot be read (${(err as Error).message}); expected a PEM private key or a private JWK, not encrypted`, { file });
  }
}

const base64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/** The signed client assertion of RFC 7523 as Okta's "Build a JWT for client authentication" describes it. */
export function clientAssertion(clientId: string, tokenUrl: string, key: KeyObject, kid: string | undefined, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const header = base64url(JSON.stringify(kid ? { alg: 'RS256', typ: 'JWT', kid } : { alg: 'RS256', typ: 'JWT' }));
  const claims = base64url(JSON.stringify({ iss: clientId, sub: clientId, aud: tokenUrl, iat, exp: iat + ASSERTION_LIFETIME_S, jti: randomUUID() }));
  const signature = sign('sha256', Buffer.from(`${header}.${claims}`), key);
  return `${header}.${claims}.${base64url(signature)}`;
}

interface TokenAnswer {
  access_token?: string;
  expires_in?: number;
  error?: string;
  error_description?: string;
}

export async function oktaTokens(orgUrl: string, credentials: OktaCredentials, scopes: readonly string[], clock: Clock): Promise<OktaTokens> {
  if (credentials.kind === 'ssws') {
    const header = `SSWS ${credentials.token}`;
    return { header: async () => header, expire: () => false, requests: 0 };
  }
  const { key, kid } = await readPrivateKey(credentials.keyFile);
  const tokenUrl = `${orgUrl}/oauth2/v1/token`;
  let current: { header: string; renewAt: number } | undefined;
  let requests = 0;
  const fetchToken = async (): Promise<{ header: string; renewAt: number }> => {
    requests++;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: scopes.join(' '),
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: clientAssertion(credentials.clientId, tokenUrl, key, kid, clock.now()),
    });
    let res: Response;
    let answer: TokenAnswer;
    try {
      res = await fetch(tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' }, body });
      answer = (await res.json().catch(() => ({}))) as TokenAnswer;
    } catch (err) {
      throw new IdreconError('AUTH_FAILED', `cannot reach Okta's token endpoint ${tokenUrl} (${(err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message})`);
    }
    if (!res.ok || !answer.access_token) throw tokenRefused(res.status, answer, credentials.clientId, scopes, orgUrl);
    const lifetimeMs = (answer.expires_in ?? 3600) * 1000;
    return { header: `Bearer ${answer.access_token}`, renewAt: clock.now() + lifetimeMs - Math.min(RENEW_BEFORE_MS, lifetimeMs / 10) };
  };
  return {
    async header() {
      if (!current || clock.now() >= current.renewAt) current = await fetchToken();
      return current.header;
    },
    expire() {
      current = undefined;
      return true;
    },
    get requests() {
      return requests;
    },
  };
}

/** Okta's error and description, with what the admin should change. */
function tokenRefused(status: number, a: TokenAnswer, clientId: string, scopes: readonly string[], orgUrl: string): IdreconError {
  const said = a.error ? `${a.error}: ${a.error_description ?? ''}`.trim() : `HTTP ${status}`;
  let fix = 'check the client id, the key and that the app is an API Services app using public key / private key authentication (docs/export.md#okta)';
  if (/expired|future/.test(a.error_description ?? '')) fix = "check this machine's clock: the assertion is valid for five minutes from its iat";
  if (a.error === 'invalid_scope') fix = `grant the app the scopes ${scopes.join(' and ')} (Okta API Scopes tab of the app)`;
  if (a.error === 'invalid_dpop_proof' || /dpop/i.test(a.error_description ?? '')) fix = 'turn off "Require Demonstrating Proof of Possession (DPoP)" in the app\'s General settings';
  return new IdreconError('AUTH_FAILED', `Okta refused a token for app ${clientId} at ${orgUrl} (${said}); ${fix}`);
}
