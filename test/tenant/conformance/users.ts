import type { CloudUser } from '../../../lib/formats/cloud-users';

const user = (i: number, fields: Partial<CloudUser>): CloudUser => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  userPrincipalName: `user${i}@contoso.com`,
  displayName: `User ${i}`,
  onPremisesImmutableId: null,
  onPremisesSyncEnabled: null,
  mail: null,
  ...fields,
});

export const uid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/**
 * Six users that between them have what the cases need: an anchor with '+' (about a quarter of
 * real ImmutableIDs), a UPN with '+', one starting with '$', synced and once-synced users, mail,
 * and an administrator.
 */
export const USERS = (): CloudUser[] => [
  user(0, { onPremisesImmutableId: 'Zm9v+YmFy/w==', onPremisesSyncEnabled: true, mail: 'ann@contoso.com', displayName: 'Ann Lee' }),
  user(1, { userPrincipalName: 'bob+ops@contoso.com', onPremisesImmutableId: 'Ym9i', onPremisesSyncEnabled: false, mail: 'bob@contoso.com', displayName: 'Bob Roe' }),
  user(2, { userPrincipalName: '$svc@contoso.com', displayName: 'Service' }),
  user(3, { userPrincipalName: "o'brien@contoso.com", mail: 'pat@fabrikam.com', displayName: "Pat O'Brien" }),
  user(4, { onPremisesImmutableId: 'YWRtaW4=', directoryRoles: ['Global Administrator'], displayName: 'Admin' }),
  user(5, { onPremisesImmutableId: 'ZWxpZ2libGU=', directoryRoles: ['User Administrator (eligible)'], displayName: 'Eligible' }),
];
