/**
 * From the tenant to the prediction: a local tenant seeded with admins (active, through a role
 * group, eligible through PIM), an account found only by its SMTP address and a cloud-made
 * account, exported by export cloud and reconciled against AD, gives the outcome Entra Connect
 * will have. Without a PIM licence, eligibility is unknown and the export says so.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportCloud } from '../lib/graph/export';
import { G } from './guids';
import { cli, csv, project } from './helpers';
import { credentials, fastClock, serve, tempDir, usersFrom } from './tenant/harness';

/** The three admins are synced from another forest already, so only the role rules can stop their match. */
const SEED = [
  'id,userPrincipalName,displayName,onPremisesImmutableId,onPremisesSyncEnabled,mail,proxyAddresses,directoryRoles,privilegedRole,onPremisesObjectIdentifier',
  `c1,ga@contoso.com,GA,${G[1].id},True,ga@contoso.com,,Global Administrator,True,`,
  `c2,pim@contoso.com,PIM,${G[2].id},True,pim@contoso.com,,Privileged Role Administrator (eligible),True,`,
  `c3,ua1@contoso.com,UA 1,${G[3].id},True,ua1@contoso.com,,User Administrator,True,`,
  `c4,ua2@contoso.com,UA 2,,,ua2@contoso.com,,User Administrator,True,`,
  'c5,joanna@contoso.com,Joanna,,,jo@contoso.com,SMTP:jo@contoso.com;smtp:joanna@contoso.com,,False,',
  `c6,made.here@contoso.com,Made here,${G[6].id},,made.here@contoso.com,,,False,`,
  `c7,claimed@contoso.com,Claimed,${G[7].id},True,claimed@contoso.com,,,False,${G[9].guid}`,
  'c8,reader@contoso.com,Reader,,,reader@contoso.com,,Message Center Reader (eligible),False,',
];

const ONPREM = csv(`
  UserPrincipalName,ObjectGUID,mail,proxyAddresses
  ga@contoso.com,${G[1].guid},ga@contoso.com,
  pim@contoso.com,${G[2].guid},pim@contoso.com,
  ua1@contoso.com,${G[3].guid},ua1@contoso.com,
  ua2@contoso.com,${G[4].guid},ua2@contoso.com,
  jo@contoso.com,${G[5].guid},,SMTP:jo@contoso.com
  made.here@contoso.com,${G[6].guid},made.here@contoso.com,
  claimed@contoso.com,${G[7].guid},claimed@contoso.com,
  reader@contoso.com,${G[8].guid},reader@contoso.com,
`);

async function exportAndReconcile(pim: boolean) {
  const dir = tempDir();
  const clock = fastClock();
  const tenant = await serve({ users: await usersFrom(dir, ...SEED), pim }, clock);
  try {
    const cloud = join(dir, 'cloud.csv');
    const result = await exportCloud({ credentials: credentials(tenant), graphUrl: tenant.url, out: cloud, settingsOut: join(dir, 'sync.json'), pageSize: 3, maxRetries: 3 }, clock);
    writeFileSync(join(dir, 'onprem.csv'), ONPREM);
    const r = await cli(['reconcile', '--onprem', join(dir, 'onprem.csv'), '--cloud', cloud, '--out', join(dir, 'out'), '--block-hard-match-takeover']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    return { result, reconciliation: readFileSync(join(dir, 'out', 'reconciliation.csv'), 'utf8') };
  } finally {
    await tenant.close();
  }
}

const COLUMNS = ['upn', 'status', 'entra_connect', 'entra_connect_reason', 'match_upn', 'cloud_roles', 'cloud_privileged_role'];

test('privileged, eligible and group-held roles, an SMTP-only match and a blocked takeover, as exported and predicted', async () => {
  const { result, reconciliation } = await exportAndReconcile(true);
  expect(result.roles).toEqual({ assignments: 2, eligibilities: 2, usersWithRoles: 5 });
  expect(result.settingsSaved).toBe(false);
  expect(result.notes).toEqual([
    expect.stringMatching(
      /^tenant settings not saved to .*sync\.json \(403 Authorization_RequestDenied: Insufficient privileges to complete the operation\.\): Graph lets only a signed-in Global Administrator read/,
    ),
  ]);
  expect(project(reconciliation, COLUMNS)).toBe(
    csv(`
      upn,status,entra_connect,entra_connect_reason,match_upn,cloud_roles,cloud_privileged_role
      ga@contoso.com,match,blocked,privileged-role,,Global Administrator,True
      pim@contoso.com,match,blocked,privileged-role,,Privileged Role Administrator (eligible),True
      ua1@contoso.com,match,blocked,privileged-role,,User Administrator,True
      ua2@contoso.com,missing,duplicate-created,admin-role,,User Administrator,True
      jo@contoso.com,onprem-only,soft-match,,joanna@contoso.com,,
      made.here@contoso.com,match,blocked,takeover-blocked,,,False
      claimed@contoso.com,match,blocked,object-identifier-set,,,False
      reader@contoso.com,missing,duplicate-created,admin-role,,Message Center Reader (eligible),False
      joanna@contoso.com,cloud-only,soft-match,,,,False
    `),
  );
});

test('without a PIM licence eligible roles are unknown: said by the export, left empty, not guessed', async () => {
  const { result, reconciliation } = await exportAndReconcile(false);
  expect(result.roles).toEqual({ assignments: 2, eligibilities: 'unknown', usersWithRoles: 3 });
  expect(result.notes[0]).toBe(
    'eligible (PIM) roles are unknown: GET /roleManagement/directory/roleEligibilityScheduleInstances was refused (403 AadPremiumLicenseRequired: The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.); it needs RoleEligibilitySchedule.Read.Directory and a tenant licensed for PIM. Users without an active privileged role get an empty privilegedRole',
  );
  const rows = project(reconciliation, COLUMNS).split('\n');
  expect(rows[2]).toBe('pim@contoso.com,match,hard-match,,,,');
  expect(rows[8]).toBe('reader@contoso.com,missing,soft-match,,,,');
});
