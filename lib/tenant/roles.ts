/**
 * The local tenant's directory roles, made from the seed's directoryRoles and privilegedRole
 * columns: role definitions (with beta's isPrivileged), active assignments (to a role-assignable
 * group when two or more users hold a role, so a client must resolve group principals as it
 * must in a real tenant) and PIM eligibility. Pure data and answers; docs/tenant.md lists what
 * differs from Graph.
 *
 * Graph: unifiedRoleDefinition, unifiedRoleAssignment, unifiedRoleEligibilityScheduleInstance
 * (https://learn.microsoft.com/graph/api/resources/rolemanagement).
 */
import { createHash } from 'node:crypto';
import type { CloudUser } from '../formats/cloud-users';

export interface RoleDefinition {
  id: string;
  templateId: string;
  displayName: string;
  isBuiltIn: boolean;
  isEnabled: boolean;
  /** Beta only in Graph. */
  isPrivileged: boolean;
}

export interface RoleAssignment {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
}

export interface RoleEligibility {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  memberType: 'Direct';
  startDateTime: string;
  endDateTime: null;
  roleEligibilityScheduleId: string;
}

export interface RoleGroup {
  id: string;
  displayName: string;
  isAssignableToRole: true;
  members: string[];
}

/**
 * Built-in roles by their template ids, with the PRIVILEGED label of Microsoft's "Microsoft
 * Entra built-in roles" page. Other names get an id made from the name, and are privileged only
 * where the seed's privilegedRole needs them to be (see privilegedNames).
 */
const BUILT_IN: Record<string, { id: string; privileged: boolean }> = {
  'global administrator': { id: '62e90394-69f5-4237-9190-012177145e10', privileged: true },
  'privileged role administrator': { id: 'e8611ab8-c189-46e8-94e1-60213ab1f814', privileged: true },
  'privileged authentication administrator': { id: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13', privileged: true },
  'user administrator': { id: 'fe930be7-5e62-47db-91af-98c3a49a38b1', privileged: true },
  'helpdesk administrator': { id: '729827e3-9c14-49f7-bb1b-9608f156bbb8', privileged: true },
  'authentication administrator': { id: 'c4e39bd9-1100-46d3-8c65-fb160da0071f', privileged: true },
  'security administrator': { id: '194ae4cb-b126-40b2-bd5b-6091b380977d', privileged: true },
  'hybrid identity administrator': { id: '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2', privileged: true },
  'message center reader': { id: '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b', privileged: false },
  'reports reader': { id: '4a5d8f65-41da-4de4-8968-e035b65339cf', privileged: false },
  'directory readers': { id: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b', privileged: false },
};

const ELIGIBLE = ' (eligible)';

/** A stable GUID-shaped id from a name, so the same seed gives the same ids every run. */
function idFor(kind: string, name: string): string {
  const h = createHash('sha256').update(`${kind}:${name.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A seeded user's roles: the names it holds and those it is eligible for. */
export function seededRoles(u: Pick<CloudUser, 'directoryRoles'>): { active: string[]; eligible: string[] } {
  const active: string[] = [];
  const eligible: string[] = [];
  for (const part of u.directoryRoles ?? []) {
    const name = part.trim();
    if (!name) continue;
    if (name.toLowerCase().endsWith(ELIGIBLE)) eligible.push(name.slice(0, -ELIGIBLE.length).trim());
    else active.push(name);
  }
  return { active, eligible };
}

/** Role names not in BUILT_IN that must be privileged for a seed's privilegedRole True to hold. */
function privilegedNames(users: readonly CloudUser[]): Set<string> {
  const names = new Set<string>();
  for (const u of users) {
    if (u.privilegedRole !== true) continue;
    const { active, eligible } = seededRoles(u);
    const all = [...active, ...eligible];
    if (all.some((n) => BUILT_IN[n.toLowerCase()]?.privileged)) continue;
    for (const n of all) if (!BUILT_IN[n.toLowerCase()]) names.add(n.toLowerCase());
  }
  return names;
}

export class TenantRoles {
  readonly definitions: RoleDefinition[] = [];
  readonly assignments: RoleAssignment[] = [];
  readonly eligibility: RoleEligibility[] = [];
  readonly groups = new Map<string, RoleGroup>();

  /** `pim`: the tenant has the licence PIM needs, so eligibility can be read. */
  constructor(
    users: readonly CloudUser[],
    readonly pim = true,
  ) {
    const privileged = privilegedNames(users);
    const byName = new Map<string, RoleDefinition>();
    const definition = (name: string): RoleDefinition => {
      const key = name.toLowerCase();
      let d = byName.get(key);
      if (!d) {
        const builtIn = BUILT_IN[key];
        const id = builtIn?.id ?? idFor('role', key);
        d = { id, templateId: id, displayName: name, isBuiltIn: builtIn !== undefined, isEnabled: true, isPrivileged: builtIn?.privileged ?? privileged.has(key) };
        byName.set(key, d);
        this.definitions.push(d);
      }
      return d;
    };
    const holders = new Map<string, string[]>();
    for (const u of users) {
      const { active, eligible } = seededRoles(u);
      for (const name of active) {
        const id = definition(name).id;
        holders.set(id, [...(holders.get(id) ?? []), u.id]);
      }
      for (const name of eligible) {
        const roleDefinitionId = definition(name).id;
        const id = idFor('eligibility', `${u.id}:${roleDefinitionId}`);
        this.eligibility.push({
          id,
          principalId: u.id,
          roleDefinitionId,
          directoryScopeId: '/',
          memberType: 'Direct',
          startDateTime: '2026-01-01T00:00:00Z',
          endDateTime: null,
          roleEligibilityScheduleId: id,
        });
      }
    }
    for (const [roleDefinitionId, members] of holders) {
      const name = this.definitions.find((d) => d.id === roleDefinitionId)!.displayName;
      let principals = members;
      if (members.length > 1) {
        const group: RoleGroup = { id: idFor('group', name), displayName: `${name} holders`, isAssignableToRole: true, members };
        this.groups.set(group.id, group);
        principals = [group.id];
      }
      for (const principalId of principals) {
        this.assignments.push({ id: idFor('assignment', `${principalId}:${roleDefinitionId}`), principalId, roleDefinitionId, directoryScopeId: '/' });
      }
    }
  }
}
