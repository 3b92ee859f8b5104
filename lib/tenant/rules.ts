/**
 * Graph's rules for PATCH /users/{id}, as a pure function of the tenant and the request: what
 * a real tenant refuses, the local one refuses with the same status and code. Messages marked
 * (unconfirmed) in docs/tenant.md are our wording where Microsoft's is not documented.
 */
import { type GraphFault, fault } from './graph-error';
import { activeRoles, upnDomain } from './state';
import { type Domain } from '../formats/domains';
import { type CloudUser } from '../formats/cloud-users';
import { userProperty } from './query';

export interface DirectoryView {
  findByUpn(upn: string): CloudUser | undefined;
  findByImmutableId(immutableId: string): CloudUser | undefined;
  domain(name: string): Domain | undefined;
}

export type UserChange = Partial<Omit<CloudUser, 'id'>>;

const WRITABLE = ['userPrincipalName', 'displayName', 'onPremisesImmutableId', 'mail'] as const;

/** Properties of the user resource that its page calls read-only (or that have their own API). */
const READ_ONLY = new Set([
  'id', 'deletedDateTime', 'assignedLicenses', 'assignedPlans', 'authorizationInfo', 'createdDateTime', 'creationType',
  'externalUserState', 'externalUserStateChangeDateTime', 'identityParentId', 'isManagementRestricted', 'lastPasswordChangeDateTime',
  'legalAgeGroupClassification', 'licenseAssignmentStates', 'mailboxSettings', 'onPremisesDistinguishedName', 'onPremisesDomainName',
  'onPremisesLastSyncDateTime', 'onPremisesProvisioningErrors', 'onPremisesSamAccountName', 'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled', 'onPremisesUserPrincipalName', 'print', 'provisionedPlans', 'proxyAddresses', 'securityIdentifier',
  'serviceProvisioningErrors', 'signInActivity', 'signInSessionsValidFromDateTime',
]);

/**
 * Sensitive attributes (user resource page, "Who can update sensitive attributes"): on a user who
 * holds an administrator role, an app with User.ReadWrite.All alone may not change them.
 */
export const SENSITIVE = ['userPrincipalName', 'onPremisesImmutableId'] as const;
export const DENIED_MESSAGE = 'Insufficient privileges to complete the operation.';

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
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === '@odata.type') {
      // Clients (the Kiota SDK among them) name the type; any other type is not a user.
      if (value !== '#microsoft.graph.user' && value !== 'microsoft.graph.user') return fault(400, 'BadRequest', `A type named '${String(value)}' could not be resolved by the model.`);
      continue;
    }
    const property = WRITABLE.find((p) => p === key);
    if (property) {
      const nullable = property === 'onPremisesImmutableId' || property === 'mail';
      if (!(typeof value === 'string' || (nullable && value === null))) return invalidValue(property);
      Object.assign(change, { [property]: value });
      continue;
    }
    const known = userProperty(key);
    if (!known || known.name !== key || READ_ONLY.has(key)) return fault(400, 'Request_BadRequest', `Property '${key}' is read-only or does not exist on type 'microsoft.graph.user'.`);
    if (!fitsType(known.type, value)) return invalidValue(key);
    extra[key] = value;
  }
  if (Object.keys(extra).length > 0) change.extra = extra;
  if (Object.keys(change).length === 0) return change;
  // Authorization comes before validation: a 403 for an administrator, whatever else is wrong.
  if (SENSITIVE.some((p) => p in change) && activeRoles(user).length > 0) return fault(403, 'Authorization_RequestDenied', DENIED_MESSAGE);
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

/** The JSON shapes of the user resource's types: scalars by name, collections as arrays, complex types as objects. */
function fitsType(type: string, value: unknown): boolean {
  if (value === null) return true;
  if (type.startsWith('Collection(')) return Array.isArray(value);
  if (type === 'String') return typeof value === 'string';
  if (type === 'Boolean') return typeof value === 'boolean';
  if (type === 'Int32') return Number.isInteger(value);
  if (type === 'DateTimeOffset') return typeof value === 'string' && !Number.isNaN(Date.parse(value));
  return typeof value === 'object' && !Array.isArray(value);
}
