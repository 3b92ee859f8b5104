/**
 * What Entra Connect will refuse, or match under another UPN, is for a person to settle before
 * the cutover: review rows that say what to do, never a change. Graph refuses an application's
 * change of the ImmutableID on a user who holds an admin role: review too.
 */
import { G } from '../guids';
import { csv, project } from '../helpers';
import { planInline } from './helpers';

const ONPREM = csv(`
  UserPrincipalName,ObjectGUID,mail
  privileged@contoso.com,${G[1].guid},privileged@contoso.com
  claimed@contoso.com,${G[2].guid},claimed@contoso.com
  cloud-made@contoso.com,${G[3].guid},cloud-made@contoso.com
  jo@contoso.com,${G[4].guid},jo@contoso.com
  helpdesk@contoso.com,${G[5].guid},helpdesk@contoso.com
  eligible@contoso.com,${G[6].guid},eligible@contoso.com
`);
const CLOUD = csv(`
  id,userPrincipalName,onPremisesImmutableId,onPremisesSyncEnabled,mail,directoryRoles,privilegedRole,onPremisesObjectIdentifier
  c1,privileged@contoso.com,${G[1].id},,privileged@contoso.com,Global Administrator;Security Reader (eligible),True,
  c2,claimed@contoso.com,${G[2].id},,claimed@contoso.com,,,${G[9].guid}
  c3,cloud-made@contoso.com,${G[3].id},,cloud-made@contoso.com,,,
  c4,joanna@contoso.com,,,jo@contoso.com,,,
  c5,helpdesk@contoso.com,${G[5].displayOrder},,helpdesk@contoso.com,Reports Reader,False,
  c6,eligible@contoso.com,${G[6].displayOrder},,eligible@contoso.com,Reports Reader (eligible),False,
`);

test('blocked matches, an SMTP match to another UPN and an admin-role user are review rows that say what to do', async () => {
  const r = await planInline(ONPREM, CLOUD, ['--federated-domains', 'none', '--block-hard-match-takeover']);
  expect(r.code).toBe(0);
  expect(project(r.plan, ['row', 'upn', 'status', 'reason', 'action', 'target_immutable_id', 'why'])).toBe(
    csv(`
      row,upn,status,reason,action,target_immutable_id,why
      1,privileged@contoso.com,match,,review,${G[1].id},"Entra Connect will refuse to hard-match this user to privileged@contoso.com, which holds or is eligible for a privileged role (InvalidHardMatch, 103): remove the role assignment and any PIM eligibility for the cutover, let Entra Connect match the user, then assign them again."
      2,claimed@contoso.com,match,,review,${G[2].id},"Entra Connect will refuse to hard-match this user to claimed@contoso.com, whose onPremisesObjectIdentifier names another on-prem object (AttributeUpdateNotAllowed, 96): if this AD user owns the account, clear it (PATCH /beta/users/{id} {""onPremisesObjectIdentifier"": null}, permission User-OnPremisesSyncBehavior.ReadWrite.All) or turn on allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled for the cutover."
      3,cloud-made@contoso.com,match,,review,${G[3].id},"The tenant blocks cloud object takeover through hard match (blockCloudObjectTakeoverThroughHardMatchEnabled) and cloud-made@contoso.com is cloud-managed, so Entra Connect will not match it: turn the switch off for a matching window, then on again."
      4,jo@contoso.com,onprem-only,will-create,review,${G[4].id},"Entra Connect will soft-match this user on its primary SMTP address to joanna@contoso.com, an account under another UPN, and take it over: confirm it is the same person before the cutover, or change the address."
      5,helpdesk@contoso.com,mismatch,byte-order,review,${G[5].id},"The cloud user holds the admin role Reports Reader, and Graph refuses an application's change of onPremisesImmutableId or userPrincipalName on such a user: make the change signed in as a Privileged Authentication Administrator, or remove the role for the change and assign it again after."
      6,eligible@contoso.com,mismatch,byte-order,set-immutable-id,${G[6].id},The ImmutableID was converted with the wrong byte order: set it to ${G[6].id} so that Entra Connect hard-matches the on-prem user.
    `),
  );
});
