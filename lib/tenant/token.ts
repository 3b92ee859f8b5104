/**
 * The tenant's token endpoint and the check Graph makes on every call. Client credentials with a
 * secret, or with a certificate assertion (a JWT signed by the app's private key, verified here
 * against the registered certificate, as Entra ID does). Access tokens are JWTs with the claims
 * Graph checks (aud, iss, tid, appid, roles: https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference),
 * RS256-signed by a key that lives only as long as the server and published at the tenant's
 * jwks_uri, so a token from another run is as wrong as a forged one. The OpenID discovery and
 * instance discovery documents the Microsoft libraries ask for are served here too.
 */
import { type KeyObject, type X509Certificate, constants, createHash, generateKeyPairSync, randomUUID, sign, timingSafeEqual, verify } from 'node:crypto';
import { GRAPH_SCOPE } from '../graph/auth';
import { type GraphFault, fault } from './graph-error';
import type { Caller } from './graph-api';

/** Graph's resource: its URL and its app id, either may be a token's audience. */
const GRAPH_AUDIENCES = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'];

export interface AppRegistration {
  tenantId: string;
  clientId: string;
  /** The client secret, if the app has one. */
  secret?: string;
  /** The app's registered certificate, if it authenticates with one. */
  certificate?: X509Certificate;
  /** Application permissions granted (admin-consented) to the app, the tokens' `roles` claim; default what idrecon needs. */
  permissions?: readonly string[];
}

const LIFETIME_S = 3599;

/** The application permissions idrecon needs (docs/entra-app.md): what `tenant serve` grants by default. */
/** What idrecon asks an admin to grant (docs/entra-app.md): users and domains, and the role reads of export cloud. */
export const IDRECON_PERMISSIONS = ['User.ReadWrite.All', 'Domain.Read.All', 'RoleManagement.Read.Directory', 'RoleEligibilitySchedule.Read.Directory', 'GroupMember.Read.All'];
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
  private readonly keys: { privateKey: KeyObject; publicKey: KeyObject };
  private readonly kid = randomUUID();
  /** The app's service principal, the token's oid and sub. */
  private readonly principal = randomUUID();

  constructor(
    private readonly app: AppRegistration,
    private readonly now: () => number,
  ) {
    this.keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  }

  /** Entra ID's v1 issuer, which Graph's tokens carry. */
  get issuer(): string {
    return `https://sts.windows.net/${this.app.tenantId}/`;
  }

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
    const iat = Math.floor(this.now() / 1000);
    const token = this.sign({
      aud: GRAPH_AUDIENCES[0],
      iss: this.issuer,
      iat,
      nbf: iat,
      exp: iat + LIFETIME_S,
      appid: this.app.clientId,
      appidacr: form.has('client_assertion') ? '2' : '1',
      idtyp: 'app',
      oid: this.principal,
      sub: this.principal,
      roles: [...(this.app.permissions ?? IDRECON_PERMISSIONS)],
      tid: this.app.tenantId,
      ver: '1.0',
    });
    return { status: 200, body: { token_type: 'Bearer', expires_in: LIFETIME_S, ext_expires_in: LIFETIME_S, access_token: token } };
  }

  private checkSecret(given: string | null): TokenAnswer | undefined {
    if (given === null) return oauthError(401, 'invalid_client', "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
    const expected = this.app.secret;
    if (expected === undefined || !sameSecret(given, expected)) {
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
    const head = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: this.kid })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${head}.${payload}.${sign('sha256', Buffer.from(`${head}.${payload}`), this.keys.privateKey).toString('base64url')}`;
  }

  /** The caller the bearer token was issued to, or Graph's 401. */
  check(authorization: string | undefined): Caller | GraphFault {
    const invalid = (message: string) => fault(401, 'InvalidAuthenticationToken', message);
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return invalid('Access token is empty.');
    const parts = m[1].split('.');
    if (parts.length !== 3) return invalid('IDX14100: JWT is not well formed, there are no dots (.).');
    const header = parseJson(parts[0]);
    const claims = parseJson(parts[1]);
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    if (!header || !claims || header.alg !== 'RS256' || header.kid !== this.kid || !verify('sha256', signed, this.keys.publicKey, Buffer.from(parts[2], 'base64url'))) {
      return invalid('Access token validation failure.');
    }
    if (!GRAPH_AUDIENCES.includes(claims.aud) || claims.iss !== this.issuer || claims.tid !== this.app.tenantId) {
      return invalid('Access token validation failure. Invalid audience.');
    }
    const nowS = this.now() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp <= nowS || (typeof claims.nbf === 'number' && claims.nbf > nowS + 300)) {
      return invalid('Lifetime validation failed, the token is expired.');
    }
    return { appId: String(claims.appid), roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [] };
  }

  /** GET {tenant}/discovery/v2.0/keys: the public key tokens are signed with. */
  jwks(): Record<string, unknown> {
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    return { keys: [{ kty: 'RSA', use: 'sig', kid: this.kid, n: jwk.n, e: jwk.e }] };
  }

  /** GET {tenant}/v2.0/.well-known/openid-configuration, as Entra ID publishes it for a tenant. */
  openidConfiguration(origin: string): Record<string, unknown> {
    const base = `${origin}/${this.app.tenantId}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      tenant_region_scope: null,
      cloud_instance_name: new URL(origin).host,
    };
  }

  /** GET common/discovery/instance: this host is its own cloud, with no other aliases. */
  instanceDiscovery(origin: string): Record<string, unknown> {
    const host = new URL(origin).host;
    return {
      tenant_discovery_endpoint: `${origin}/${this.app.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    };
  }
}

/** A certificate thumbprint as JWT headers carry it: base64url of the hash of the DER bytes. */
function thumbprint(algorithm: 'sha1' | 'sha256', data: Buffer): string {
  return createHash(algorithm).update(data).digest('base64url');
}

function sameSecret(a: string, b: string): boolean {
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
