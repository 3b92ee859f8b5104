/**
 * The tenant's token endpoint and the check Graph makes on every call. Client credentials with a
 * secret, or with a certificate assertion (a JWT signed by the app's private key, verified here
 * against the registered certificate, as Entra ID does). Access tokens are HMAC-signed by a key
 * that lives only as long as the server, so a token from another run is as wrong as a forged one.
 */
import { type X509Certificate, constants, createHash, createHmac, randomBytes, timingSafeEqual, verify } from 'node:crypto';
import { GRAPH_SCOPE } from '../graph/auth';
import { type GraphFault, fault } from './graph-error';

export interface AppRegistration {
  tenantId: string;
  clientId: string;
  /** The client secret, if the app has one. */
  secret?: string;
  /** The app's registered certificate, if it authenticates with one. */
  certificate?: X509Certificate;
}

const LIFETIME_S = 3599;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

const oauthError = (status: number, error: string, description: string): TokenAnswer => ({
  status,
  body: { error, error_description: description, error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)] },
});

export class TokenIssuer {
  private readonly key = randomBytes(32);

  constructor(
    private readonly app: AppRegistration,
    private readonly now: () => number,
  ) {}

  /** POST /{tenant}/oauth2/v2.0/token; `endpoint` is the URL the client posted to, the audience of its assertion. */
  issue(tenant: string, form: URLSearchParams, endpoint: string): TokenAnswer {
    if (tenant.toLowerCase() !== this.app.tenantId.toLowerCase()) {
      return oauthError(400, 'invalid_request', `AADSTS90002: Tenant '${tenant}' not found.`);
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
    }
    const clientId = form.get('client_id') ?? '';
    if (clientId.toLowerCase() !== this.app.clientId.toLowerCase()) {
      return oauthError(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
    }
    if (form.get('scope') !== GRAPH_SCOPE) {
      return oauthError(400, 'invalid_scope', `AADSTS1002012: The provided value for scope ${form.get('scope') ?? ''} is not valid. Use ${GRAPH_SCOPE}.`);
    }
    const refused = form.has('client_assertion') ? this.checkAssertion(form, endpoint) : this.checkSecret(form.get('client_secret'));
    if (refused) return refused;
    const token = this.sign({ tid: this.app.tenantId, appid: this.app.clientId, exp: Math.floor(this.now() / 1000) + LIFETIME_S });
    return { status: 200, body: { token_type: 'Bearer', expires_in: LIFETIME_S, ext_expires_in: LIFETIME_S, access_token: token } };
  }

  private checkSecret(given: string | null): TokenAnswer | undefined {
    if (given === null) return oauthError(401, 'invalid_client', "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
    const expected = this.app.secret;
    if (expected === undefined || !sameBytes(given, expected)) {
      return oauthError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
    }
    return undefined;
  }

  private checkAssertion(form: URLSearchParams, endpoint: string): TokenAnswer | undefined {
    const bad = (description: string) => oauthError(401, 'invalid_client', description);
    if (form.get('client_assertion_type') !== ASSERTION_TYPE) return bad('AADSTS700024: Client assertion type is not supported.');
    const cert = this.app.certificate;
    const parts = (form.get('client_assertion') ?? '').split('.');
    if (parts.length !== 3) return bad('AADSTS50027: JWT token is invalid or malformed.');
    const header = parseJson(parts[0]);
    const claims = parseJson(parts[1]);
    if (!header || !claims) return bad('AADSTS50027: JWT token is invalid or malformed.');
    // MSAL names the certificate by its SHA-256 thumbprint (x5t#S256); older clients by SHA-1 (x5t).
    if (!cert || (header['x5t#S256'] !== thumbprint('sha256', cert.raw) && header.x5t !== thumbprint('sha1', cert.raw))) {
      return bad('AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application.');
    }
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    const signature = Buffer.from(parts[2], 'base64url');
    const key =
      header.alg === 'PS256'
        ? { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
        : header.alg === 'RS256'
          ? { key: cert.publicKey, padding: constants.RSA_PKCS1_PADDING }
          : undefined;
    if (!key || !verify('sha256', signed, key, signature)) return bad('AADSTS700027: Client assertion contains an invalid signature.');
    // Wording of these two is ours (docs/tenant.md): AADSTS50027 is Entra ID's code for an unusable JWT.
    if (claims.aud !== endpoint) return bad(`AADSTS50027: JWT token is invalid: the audience must be the token endpoint '${endpoint}'.`);
    if (claims.iss !== this.app.clientId || claims.sub !== this.app.clientId) return bad('AADSTS50027: JWT token is invalid: issuer and subject must be the client id.');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.now()) return bad('AADSTS700024: Client assertion is not within its valid time range.');
    return undefined;
  }

  private sign(claims: Record<string, unknown>): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${createHmac('sha256', this.key).update(payload).digest('base64url')}`;
  }

  /** The app id the bearer token was issued to, or Graph's 401. */
  check(authorization: string | undefined): string | GraphFault {
    const invalid = (message: string) => fault(401, 'InvalidAuthenticationToken', message);
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return invalid('Access token is empty.');
    const [payload, mac] = m[1].split('.');
    const expected = payload ? createHmac('sha256', this.key).update(payload).digest('base64url') : '';
    if (!payload || !mac || !sameBytes(mac, expected)) return invalid('Access token validation failure. Invalid audience.');
    const claims = parseJson(payload);
    if (!claims || claims.tid !== this.app.tenantId) return invalid('Access token validation failure. Invalid audience.');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.now()) return invalid('Lifetime validation failed, the token is expired.');
    return String(claims.appid);
  }
}

/** A certificate thumbprint as JWT headers carry it: base64url of the hash of the DER bytes. */
function thumbprint(algorithm: 'sha1' | 'sha256', data: Buffer): string {
  return createHash(algorithm).update(data).digest('base64url');
}

function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseJson(b64: string): Record<string, any> | undefined {
  try {
    const v = JSON.parse(Buffer.from(b64, 'base64url').toString());
    return typeof v === 'object' && v !== null ? v : undefined;
  } catch {
    return undefined;
  }
}
