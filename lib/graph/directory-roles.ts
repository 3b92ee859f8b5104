/**
 * Who holds which directory role, as export cloud writes it: role definitions (beta, for
 * isPrivileged), active assignments (a principal may be a role-assignable group: its members
 * hold the role), and PIM eligibility where the tenant allows reading it. What cannot be read is
 * said, never guessed: a refused read makes that part unknown, and the columns say so.
 */
import { type Client, GraphError } from '@microsoft/microsoft-graph-client';
import { graphFailure } from './client';

/** A read Graph refused (400, 403 or 404): what it said, for the admin. */
export interface Refusal {
  refused: string;
}

const isRefusal = (v: unknown): v is Refusal => typeof v === 'object' && v !== null && 'refused' in v;

/** The path and version of an @odata.nextLink, for the client. */
function linkPath(link: string): { path: string; version: string } {
  const url = new URL(link);
  const [, version, ...rest] = url.pathname.split('/');
  return { path: `/${rest.join('/')}${url.search}`, version };
}

/**
 * Every item of a collection, page by page, or the refusal when Graph will not give it (a
 * missing permission, a licence the tenant lacks, a beta resource that is gone).
 */
export interface Tally {
  /** Successful reads, every page of every collection. */
  reads: number;
}

export async function walk<T>(client: Client, first: string, version: string, onPage: (items: T[]) => void, tally?: Tally): Promise<Refusal | undefined> {
  let next: { path: string; version: string } | undefined = { path: first, version };
  while (next) {
    let page: { value: T[]; '@odata.nextLink'?: string };
    try {
      page = await client.api(next.path).version(next.version).get();
    } catch (err) {
      if (err instanceof GraphError && [400, 403, 404].includes(err.statusCode)) return { refused: `${err.statusCode} ${err.code}: ${err.message}` };
      throw graphFailure(err, `GET /${next.version}${next.path.split('?')[0]}`);
    }
    if (tally) tally.reads++;
    onPage(page.value);
    next = page['@odata.nextLink'] ? linkPath(page['@odata.nextLink']) : undefined;
  }
  return undefined;
}

async function all<T>(client: Client, tally: Tally, path: string, version = 'v1.0'): Promise<T[] | Refusal> {
  const items: T[] = [];
  const refusal = await walk<T>(client, path, version, (page) => items.push(...page), tally);
  return refusal ?? items;
}

export interface UserRoles {
  /** Role names; eligible ones followed by ' (eligible)'. */
  names: string[];
  /** True when one of them is privileged, false when none is, null when that cannot be known. */
  privileged: boolean | null;
}

export interface DirectoryRoles {
  /** The roles of each user holding any, by user id. */
  byUser: Map<string, UserRoles>;
  /** What every user without an entry gets: no roles, or unknown. */
  none: UserRoles;
  assignments: number;
  eligibilities: number | 'unknown';
  /** Plain words on what could not be read, and what follows from it. */
  notes: string[];
}

interface Definition {
  id: string;
  displayName: string;
  isPrivileged?: boolean;
}

interface Assignment {
  principalId: string;
  roleDefinitionId: string;
  principal?: { '@odata.type'?: string; id: string };
}

export async function readDirectoryRoles(client: Client, tally: Tally): Promise<DirectoryRoles> {
  const notes: string[] = [];
  const unknown: DirectoryRoles = { byUser: new Map(), none: { names: [], privileged: null }, assignments: 0, eligibilities: 'unknown', notes };
  let definitions = await all<Definition>(client, tally, '/roleManagement/directory/roleDefinitions?$select=id,displayName,isPrivileged', 'beta');
  let privilegeKnown = true;
  if (isRefusal(definitions)) {
    notes.push(`which roles are privileged is unknown: GET /beta/roleManagement/directory/roleDefinitions was refused (${definitions.refused}); privilegedRole is left empty for users with roles`);
    privilegeKnown = false;
    definitions = await all<Definition>(client, tally, '/roleManagement/directory/roleDefinitions?$select=id,displayName');
  }
  const assignments = isRefusal(definitions) ? definitions : await all<Assignment>(client, tally, '/roleManagement/directory/roleAssignments?$select=principalId,roleDefinitionId&$expand=principal');
  if (isRefusal(definitions) || isRefusal(assignments)) {
    const refused = isRefusal(definitions) ? definitions.refused : (assignments as Refusal).refused;
    notes.push(
      `directory roles are unknown: Graph refused the role management read (${refused}); grant the app RoleManagement.Read.Directory. directoryRoles and privilegedRole are left empty, so reconcile cannot apply the role rules`,
    );
    return unknown;
  }
  const roleById = new Map(definitions.map((d) => [d.id, d]));
  const byUser = new Map<string, UserRoles>();
  const give = (userId: string, roleId: string, eligible: boolean) => {
    const d = roleById.get(roleId);
    const name = `${d?.displayName ?? roleId}${eligible ? ' (eligible)' : ''}`;
    const r = byUser.get(userId) ?? byUser.set(userId, { names: [], privileged: false }).get(userId)!;
    if (!r.names.includes(name)) r.names.push(name);
    if (d?.isPrivileged) r.privileged = true;
  };
  // A role-assignable group passes its role to its members; such groups cannot be nested.
  const members = new Map<string, string[]>();
  const membersOf = async (groupId: string): Promise<string[]> => {
    if (!members.has(groupId)) {
      const found = await all<{ id: string }>(client, tally, `/groups/${encodeURIComponent(groupId)}/members?$select=id`);
      if (isRefusal(found)) {
        notes.push(`the members of group ${groupId}, which holds a role, are unknown (${found.refused}); grant the app GroupMember.Read.All`);
        members.set(groupId, []);
      } else {
        members.set(groupId, found.map((m) => m.id));
      }
    }
    return members.get(groupId)!;
  };
  const isGroup = (a: Assignment) => a.principal?.['@odata.type'] === '#microsoft.graph.group';
  for (const a of assignments) {
    for (const user of isGroup(a) ? await membersOf(a.principalId) : [a.principalId]) give(user, a.roleDefinitionId, false);
  }
  const eligibility = await all<Assignment>(client, tally, '/roleManagement/directory/roleEligibilityScheduleInstances?$select=principalId,roleDefinitionId');
  let eligibilities: number | 'unknown' = 'unknown';
  if (isRefusal(eligibility)) {
    notes.push(
      `eligible (PIM) roles are unknown: GET /roleManagement/directory/roleEligibilityScheduleInstances was refused (${eligibility.refused}); it needs RoleEligibilitySchedule.Read.Directory and a tenant licensed for PIM. Users without an active privileged role get an empty privilegedRole`,
    );
  } else {
    eligibilities = eligibility.length;
    for (const e of eligibility) {
      for (const user of members.has(e.principalId) ? members.get(e.principalId)! : [e.principalId]) give(user, e.roleDefinitionId, true);
    }
  }
  // Unknown stays unknown: without isPrivileged, or without eligibility, "no privileged role" cannot be said.
  for (const r of byUser.values()) {
    if (!privilegeKnown) r.privileged = null;
    else if (!r.privileged && eligibilities === 'unknown') r.privileged = null;
  }
  return { byUser, none: { names: [], privileged: eligibilities === 'unknown' ? null : false }, assignments: assignments.length, eligibilities, notes };
}
