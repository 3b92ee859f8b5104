/**
 * Shared set-up for tests against the local Okta org: an RSA key pair for the service app (the
 * private key in a PEM file, as an admin keeps it), a seeded org, and the fast clock of the
 * tenant tests, shared by client and org, so rate-limit waits cost nothing.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultOptions } from '../../lib/tenant/faults';
import type { Clock } from '../../lib/graph/clock';
import { type LocalOrg, type OrgApp, type OrgOptions, startOrg } from './org';

export const CLIENT_ID = '0oaservice0000000001';
export const O365_APP = '0oaoffice3650000001';
export const AD_APP = '0oaadcontoso0000001';
export const AD_APP_2 = '0oaadfabrikam000001';

export interface KeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
}

let cached: KeyPair | undefined;
/** One RSA key for the whole file: generating one costs a noticeable fraction of a second. */
export function keyPair(): KeyPair {
  return (cached ??= generateKeyPairSync('rsa', { modulusLength: 2048 }));
}

export function writeKey(dir: string, key: KeyObject = keyPair().privateKey, name = 'okta-key.pem'): string {
  const file = join(dir, name);
  writeFileSync(file, key.export({ type: 'pkcs8', format: 'pem' }));
  return file;
}

export interface SeededUser {
  id: string;
  login: string;
  entraId: string;
  assignmentId: string;
  /** Base64 objectGUID in the AD app(s), in the order of the AD apps. */
  ad: { appId: string; externalId: string }[];
  immutableId: string | null;
}

const pad = (prefix: string, i: number) => `${prefix}${i.toString(36).padStart(17, '0')}`;
const guidOf = (i: number, salt: number) => {
  const b = Buffer.alloc(16);
  b.writeUInt32LE(i, 0);
  b.writeUInt32LE(salt, 4);
  b.writeUInt32LE(i * 2654435761 >>> 0, 8);
  b.writeUInt32LE(0x5eed0000 + salt, 12);
  return b;
};

/**
 * n users of the Office 365 app: every tenth has no AD account (its immutableId is its Okta user
 * id, Okta's recommended expression), every 97th has an immutableId other than its AD anchor,
 * every 1000th (from 5) is also in a second AD instance, every 250th (from 3) is assigned by group.
 */
export function seededUsers(n: number): SeededUser[] {
  const users: SeededUser[] = [];
  for (let i = 0; i < n; i++) {
    const id = pad('00u', i);
    const anchor = guidOf(i, 1).toString('base64');
    const ad = i % 10 === 0 ? [] : [{ appId: AD_APP, externalId: anchor }];
    if (i % 1000 === 5) ad.push({ appId: AD_APP_2, externalId: guidOf(i, 2).toString('base64') });
    let immutableId: string | null = ad.length ? anchor : id;
    if (i % 97 === 0 && ad.length) immutableId = guidOf(i, 3).toString('base64');
    if (i % 4999 === 7) immutableId = null;
    const e = guidOf(i, 4).toString('hex');
    users.push({
      id,
      login: `user${i}@contoso.com`,
      entraId: `${e.slice(0, 8)}-${e.slice(8, 12)}-${e.slice(12, 16)}-${e.slice(16, 20)}-${e.slice(20)}`,
      assignmentId: pad('0ua', i),
      ad,
      immutableId,
    });
  }
  return users;
}

export function appsFor(users: SeededUser[]): OrgApp[] {
  const adApp = (id: string, label: string): OrgApp => ({
    id,
    name: 'active_directory',
    label,
    status: 'ACTIVE',
    users: users.flatMap((u) =>
      u.ad.filter((a) => a.appId === id).map((a) => ({ userId: u.id, userName: u.login, externalId: a.externalId, scope: 'USER' as const, status: 'ACTIVE', assignmentId: `${u.assignmentId}ad` })),
    ),
  });
  return [
    {
      id: O365_APP,
      name: 'office365',
      label: 'Microsoft Office 365',
      status: 'ACTIVE',
      users: users.map((u, i) => ({
        userId: u.id,
        userName: u.login,
        externalId: u.entraId,
        immutableId: u.immutableId,
        scope: i % 250 === 3 ? ('GROUP' as const) : ('USER' as const),
        status: 'PROVISIONED',
        assignmentId: u.assignmentId,
      })),
    },
    adApp(AD_APP, 'contoso.com'),
    adApp(AD_APP_2, 'fabrikam.com'),
  ];
}

export function serveOrg(users: SeededUser[], clock: Clock, options: Partial<OrgOptions> & { faults?: FaultOptions } = {}): Promise<LocalOrg> {
  return startOrg({
    apps: appsFor(users),
    service: { clientId: CLIENT_ID, publicKey: keyPair().publicKey, scopes: ['okta.apps.read', 'okta.users.read'], adminRole: true },
    now: clock.now,
    ...options,
  });
}
