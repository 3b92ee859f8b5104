/**
 * The local tenant's directory roles, as Graph's role management API serves them: definitions
 * (isPrivileged in beta only), assignments whose principal may be a role-assignable group,
 * eligibility that needs a PIM licence, and the sync settings Graph refuses to applications.
 */
import type { LocalTenant } from '../../lib/tenant/server';
import { client, graphError, serve, tempDir, usersFrom } from './harness';

const SEED = [
  'id,userPrincipalName,displayName,directoryRoles,privilegedRole',
  'u1,a@contoso.com,A,Global Administrator;Billing Helper (eligible),True',
  'u2,b@contoso.com,B,Global Administrator,True',
  'u3,c@contoso.com,C,Custom Auditor,True',
  'u4,d@contoso.com,D,,False',
];
const GA = '62e90394-69f5-4237-9190-012177145e10';

describe('directory roles in the local tenant', () => {
  let tenant: LocalTenant;
  afterEach(() => tenant.close());

  it('serves definitions, group and user assignments, eligibility, and group members', async () => {
    tenant = await serve({ users: await usersFrom(tempDir(), ...SEED) });
    const graph = await client(tenant);
    const defs = await graph.api('/roleManagement/directory/roleDefinitions?$select=id,displayName,isPrivileged').version('beta').get();
    expect(defs.value.map((d: { displayName: string; isPrivileged: boolean }) => [d.displayName, d.isPrivileged])).toEqual([
      ['Global Administrator', true],
      ['Billing Helper', false],
      // Not a built-in role: privileged because the seed says c@ holds a privileged role and it is c@'s only one.
      ['Custom Auditor', true],
    ]);
    const assignments = await graph.api('/roleManagement/directory/roleAssignments?$select=principalId,roleDefinitionId&$expand=principal').get();
    const groupAssignment = assignments.value.find((a: { roleDefinitionId: string }) => a.roleDefinitionId === GA);
    expect(groupAssignment.principal['@odata.type']).toBe('#microsoft.graph.group');
    const members = await graph.api(`/groups/${groupAssignment.principalId}/members?$select=id`).get();
    expect(members.value.map((m: { id: string }) => m.id)).toEqual(['u1', 'u2']);
    expect(assignments.value).toHaveLength(2);
    const eligible = await graph.api('/roleManagement/directory/roleEligibilityScheduleInstances').get();
    expect(eligible.value.map((e: { principalId: string; memberType: string }) => [e.principalId, e.memberType])).toEqual([['u1', 'Direct']]);
  });

  it('refuses what Graph refuses: isPrivileged in v1.0, eligibility without PIM, sync settings to an application', async () => {
    tenant = await serve({ users: await usersFrom(tempDir(), ...SEED), pim: false });
    const graph = await client(tenant);
    expect(await graphError(graph.api('/roleManagement/directory/roleDefinitions?$select=id,isPrivileged').get())).toMatchObject({
      statusCode: 400,
      code: 'BadRequest',
      message: "Could not find a property named 'isPrivileged' on type 'microsoft.graph.unifiedRoleDefinition'.",
    });
    expect(await graphError(graph.api('/roleManagement/directory/roleEligibilityScheduleInstances').get())).toMatchObject({ statusCode: 403, code: 'AadPremiumLicenseRequired' });
    expect(await graphError(graph.api('/directory/onPremisesSynchronization').get())).toMatchObject({
      statusCode: 403,
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    });
  });
});
