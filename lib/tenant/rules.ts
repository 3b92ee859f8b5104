/**
 * Graph's rules for PATCH /users/{id}, as a pure function of the tenant and the request: what
 * a real tenant refuses, the local one refuses with the same status and code. Messages marked
 * (unconfirmed) in docs/tenant.md are our wording where Microsoft's is not documented.
 */
import { type GraphFault, fault } from './graph-error';
import { type CloudUser, type Domain, upnDomain } from './state';

export interface DirectoryView {
  findByUpn(upn: string): CloudUser | undefined;
  findByImmutableId(immutableId: string): CloudUser | undefined;
  domain(name: string): Domain | undefined;
}

export type UserChange = Partial<Omit<CloudUser, 'id'>>;

const WRITABLE = ['userPrincipalName', 'displayName', 'onPremisesImmutableId', 'mail'] as const;

export const SYNCED_MESSAGE =
  'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.';
export const FEDERATED_MESSAGE =
  "Property 'onPremisesImmutableId' cannot be set for a user in a federated domain; change the userPrincipalName to a managed domain first, or in the same request.";

const invalidValue = (property: string) => fault(400, 'Request_BadRequest', `Invalid value specified for property '${property}' of resource 'User'.`);

const conflict = (property: string) =>
  fault(400, 'Request_BadRequest', `Another object with the same value for property ${property} already exists.`, [
    { code: 'ObjectConflict', message: `Another object with the same value for property ${property} already exists.`, target: property },
  ]);

/** The change a PATCH body asks for, or why Graph would refuse it. */
export function checkPatch(dir: DirectoryView, user: CloudUser, body: unknown): UserChange | GraphFault {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fault(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  const change: UserChange = {};
  for (const [key, value] of Object.entries(body)) {
    const property = WRITABLE.find((p) => p === key);
    if (!property) return fault(400, 'Request_BadRequest', `Property '${key}' is read-only or does not exist on type 'microsoft.graph.user'.`);
    const nullable = property === 'onPremisesImmutableId' || property === 'mail';
    if (!(typeof value === 'string' || (nullable && value === null))) return invalidValue(property);
    Object.assign(change, { [property]: value });
  }
  if (Object.keys(change).length === 0) return change;
  // Directory synchronization owns synced users: Graph refuses any write, not only the anchor.
  if (user.onPremisesSyncEnabled === true) return fault(400, 'Request_BadRequest', SYNCED_MESSAGE);

  const upn = change.userPrincipalName ?? user.userPrincipalName;
  if (change.userPrincipalName !== undefined) {
    const refused = checkUpn(dir, user, change.userPrincipalName);
    if (refused) return refused;
  }
  if (change.displayName !== undefined && change.displayName.trim() === '') return invalidValue('displayName');
  if (change.onPremisesImmutableId !== undefined) {
    const refused = checkImmutableId(dir, user, change.onPremisesImmutableId, upn);
    if (refused) return refused;
  }
  return change;
}

function checkUpn(dir: DirectoryView, user: CloudUser, upn: string): GraphFault | undefined {
  const at = upn.lastIndexOf('@');
  if (at <= 0 || at === upn.length - 1 || /\s/.test(upn)) return invalidValue('userPrincipalName');
  const domain = dir.domain(upnDomain(upn));
  if (!domain || !domain.isVerified) {
    return fault(
      400,
      'Request_BadRequest',
      'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
    );
  }
  const holder = dir.findByUpn(upn);
  if (holder && holder !== user) return conflict('userPrincipalName');
  return undefined;
}

/** `upn` is the UPN the user will have after this PATCH: moving to a managed domain in the same request is allowed. */
function checkImmutableId(dir: DirectoryView, user: CloudUser, immutableId: string | null, upn: string): GraphFault | undefined {
  if (immutableId !== null) {
    // An empty string does not clear the anchor in Graph (null does), so it is refused here rather than stored.
    if (immutableId === '' || /[$_]/.test(immutableId)) return invalidValue('onPremisesImmutableId');
    const holder = dir.findByImmutableId(immutableId);
    if (holder && holder !== user) return conflict('onPremisesImmutableId');
  }
  // Refused only while the user is federated before and after this PATCH: moving the UPN to a
  // managed domain in the same request is allowed, and so is moving it back from one (Microsoft's
  // own example sets the ImmutableID and restores the federated UPN in one PATCH).
  const federated = (name: string) => dir.domain(upnDomain(name))?.authenticationType === 'Federated';
  if (immutableId !== user.onPremisesImmutableId && federated(user.userPrincipalName) && federated(upn)) {
    return fault(400, 'Request_BadRequest', FEDERATED_MESSAGE);
  }
  return undefined;
}
