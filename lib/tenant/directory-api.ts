/**
 * The local tenant's answers beyond /users and /domains: role management (v1.0, and beta for
 * isPrivileged), the members of role-assignable groups, beta's users with
 * onPremisesObjectIdentifier, and /directory/onPremisesSynchronization, which Graph refuses to
 * applications. Pure: a parsed request in, an answer out, or undefined when the path is not one
 * of these.
 */
import { type GraphFault, fault } from './graph-error';
import { isFault, parseQuery, parseSkipToken, parseTop, safeDecode, skipToken } from './query';
import type { TenantRoles } from './roles';
import type { TenantState } from './state';

export interface DirectoryRequest {
  method: string;
  path: string;
  query: string;
  version: 'v1.0' | 'beta';
}

export interface DirectoryAnswer {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  fault?: GraphFault;
}

export interface DirectoryContext {
  state: TenantState;
  roles: TenantRoles;
  /** The application permissions in the caller's token (its `roles` claim). */
  granted: readonly string[];
  /** Absolute base of links for this version, e.g. http://127.0.0.1:1234/beta. */
  base: string;
}

/**
 * Any one of these application permissions allows the read (the "Permissions" table of each API
 * page: list roleDefinitions / roleAssignments, list roleEligibilityScheduleInstances, list group
 * members, list users).
 */
const READ_ROLES = ['RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'RoleManagement.ReadWrite.Directory', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const READ_ELIGIBILITY = [
  'RoleEligibilitySchedule.Read.Directory',
  'RoleEligibilitySchedule.ReadWrite.Directory',
  'RoleManagement.Read.Directory',
  'RoleManagement.Read.All',
  'RoleManagement.ReadWrite.Directory',
];
const READ_MEMBERS = ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const READ_USERS = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

const failed = (f: GraphFault): DirectoryAnswer => ({ status: f.status, headers: f.headers ?? {}, fault: f });
const ok = (body: unknown): DirectoryAnswer => ({ status: 200, headers: {}, body });

/**
 * Graph's answer to an application without the permission; for the sync settings always: the
 * permission table of "Get onPremisesDirectorySynchronization" lists Application as not supported.
 */
export const SYNC_SETTINGS_REFUSED = fault(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

/** Only $select here; the lists are small and come in one page. */
function select<T extends object>(items: readonly T[], params: Map<string, string>, type: string): Record<string, unknown>[] | GraphFault {
  const wanted = params.get('$select');
  if (!wanted) return items as unknown as Record<string, unknown>[];
  const names = wanted.split(',').map((n) => n.trim());
  const known = items.length ? Object.keys(items[0]) : names;
  const unknown = names.find((n) => !known.includes(n));
  if (unknown) return fault(400, 'BadRequest', `Could not find a property named '${unknown}' on type 'microsoft.graph.${type}'.`);
  return items.map((i) => Object.fromEntries(['id', ...names.filter((n) => n !== 'id')].map((n) => [n, (i as Record<string, unknown>)[n]])));
}

export function handleDirectory(ctx: DirectoryContext, req: DirectoryRequest): DirectoryAnswer | undefined {
  const segments = req.path.split('/').filter(Boolean).map((s) => safeDecode(s));
  const lower = segments.map((s) => s.toLowerCase());
  const params = parseQuery(req.query);
  const beta = req.version === 'beta';
  const role = lower[0] === 'rolemanagement' && lower[1] === 'directory' && segments.length === 3 ? lower[2] : undefined;
  const known = role !== undefined || (lower[0] === 'groups' && lower[2] === 'members') || (lower[0] === 'directory' && lower[1] === 'onpremisessynchronization');
  if (beta && !known && !(lower[0] === 'users' && segments.length === 1)) {
    return failed(fault(400, 'BadRequest', `The local tenant serves only roleManagement, groups/{id}/members and users (onPremisesObjectIdentifier) below /beta.`));
  }
  if (!known && !beta) return undefined;
  if (req.method.toUpperCase() !== 'GET') return failed(fault(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request uri.'));

  const options = lower[0] === 'users' ? ['$select', '$top', '$skiptoken'] : role === 'roleassignments' ? ['$select', '$expand'] : ['$select'];
  const unsupported = [...params.keys()].find((k) => k.startsWith('$') && !options.includes(k));
  if (unsupported) return failed(fault(400, 'Request_UnsupportedQuery', `Query option '${unsupported}' is not supported by the local tenant.`));
  if (lower[0] === 'directory') return failed(SYNC_SETTINGS_REFUSED);
  const needed = lower[0] === 'users' ? READ_USERS : lower[0] === 'groups' ? READ_MEMBERS : role === 'roleeligibilityscheduleinstances' ? READ_ELIGIBILITY : READ_ROLES;
  if (!needed.some((p) => ctx.granted.includes(p))) return failed(SYNC_SETTINGS_REFUSED);
  if (lower[0] === 'users') return betaUsers(ctx, params);
  if (lower[0] === 'groups') {
    const group = ctx.roles.groups.get(lower[1]);
    if (!group || segments.length !== 3) return failed(fault(404, 'Request_ResourceNotFound', `Resource '${segments[1]}' does not exist or one of its queried reference-property objects are not present.`));
    const members = group.members.map((id) => ({ '@odata.type': '#microsoft.graph.user', id }));
    return ok({ '@odata.context': `${ctx.base}/$metadata#directoryObjects`, value: members });
  }
  switch (role) {
    case 'roledefinitions': {
      // isPrivileged is a beta property: v1.0 does not know it, as Graph's v1.0 does not.
      const defs = ctx.roles.definitions.map(({ isPrivileged, ...d }) => (beta ? { ...d, isPrivileged } : d));
      const value = select(defs, params, 'unifiedRoleDefinition');
      return isFault(value) ? failed(value) : ok({ '@odata.context': `${ctx.base}/$metadata#roleManagement/directory/roleDefinitions`, value });
    }
    case 'roleassignments': {
      const expand = params.get('$expand');
      if (expand !== undefined && expand.toLowerCase() !== 'principal') {
        return failed(fault(400, 'BadRequest', `Could not find a navigation property named '${expand}' on type 'microsoft.graph.unifiedRoleAssignment'.`));
      }
      const value = select(ctx.roles.assignments, params, 'unifiedRoleAssignment');
      if (isFault(value)) return failed(value);
      // $expand=principal says whether each principal is a user or a group, as Graph does.
      const principal = (id: string) => ({ '@odata.type': ctx.roles.groups.has(id) ? '#microsoft.graph.group' : '#microsoft.graph.user', id });
      const expanded = expand ? value.map((a, i) => ({ ...a, principal: principal(ctx.roles.assignments[i].principalId) })) : value;
      return ok({ '@odata.context': `${ctx.base}/$metadata#roleManagement/directory/roleAssignments`, value: expanded });
    }
    case 'roleeligibilityscheduleinstances': {
      // Privileged Identity Management needs a Microsoft Entra ID P2 (or Governance) licence.
      if (!ctx.roles.pim) return failed(fault(403, 'AadPremiumLicenseRequired', 'The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.'));
      const value = select(ctx.roles.eligibility, params, 'unifiedRoleEligibilityScheduleInstance');
      return isFault(value) ? failed(value) : ok({ '@odata.context': `${ctx.base}/$metadata#roleManagement/directory/roleEligibilityScheduleInstances`, value });
    }
    default:
      return failed(fault(400, 'BadRequest', `Resource not found for the segment '${segments[2] ?? segments[1] ?? ''}'.`));
  }
}

/** GET /beta/users: the same paging as v1.0, for the properties idrecon reads there. */
function betaUsers(ctx: DirectoryContext, params: Map<string, string>): DirectoryAnswer {
  const top = parseTop(params.get('$top'));
  if (isFault(top)) return failed(top);
  const offset = parseSkipToken(params.get('$skiptoken'));
  if (isFault(offset)) return failed(offset);
  const allowed = ['id', 'userPrincipalName', 'onPremisesObjectIdentifier'];
  const names = (params.get('$select') ?? 'id,userPrincipalName').split(',').map((n) => n.trim());
  const unknown = names.find((n) => !allowed.includes(n));
  if (unknown) return failed(fault(400, 'Request_UnsupportedQuery', `The local tenant serves only ${allowed.join(', ')} below /beta/users, not '${unknown}'.`));
  const users = ctx.state.users;
  const page = users.slice(offset, offset + top).filter((u) => !ctx.state.isDeleted(u));
  const value = page.map((u) => {
    const all: Record<string, unknown> = { id: u.id, userPrincipalName: u.userPrincipalName, onPremisesObjectIdentifier: u.onPremisesObjectIdentifier ?? null };
    return Object.fromEntries(['id', ...names.filter((n) => n !== 'id')].map((n) => [n, all[n]]));
  });
  const body: Record<string, unknown> = { '@odata.context': `${ctx.base}/$metadata#users(${names.join(',')})`, value };
  if (offset + top < users.length) {
    body['@odata.nextLink'] = `${ctx.base}/users?$select=${names.join(',')}&$top=${top}&$skiptoken=${skipToken(offset + top)}`;
  }
  return ok(body);
}
