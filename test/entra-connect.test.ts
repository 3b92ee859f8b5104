/**
 * The Entra Connect prediction, one case per rule and reason (docs/entra-connect.md), through the
 * pure classifier: inline exports in, each row's outcome, reason and match out.
 */
import { type ClassifyOptions, DEFAULT_TENANT, classify } from '../lib/core/classify';
import { G } from './guids';
import { tables } from './tables';

/** Every output row as `upn status/reason -> outcome/reason [match] (related)`. */
function predict(onprem: string, cloud: string, opts: Partial<ClassifyOptions> = {}): string[] {
  const { on, cl } = tables(onprem, cloud);
  return [...classify(on, cl, { ...DEFAULT_TENANT, ...opts })].map((r) => {
    const upn = r.onprem >= 0 ? on.upn(r.onprem) : cl.upn(r.cloud);
    const status = r.reason ? `${r.status}/${r.reason}` : r.status;
    const outcome = r.entraConnectReason ? `${r.entraConnect}/${r.entraConnectReason}` : r.entraConnect;
    const match = r.match >= 0 ? ` [${cl.upn(r.match)}]` : '';
    const related = r.relatedOnprem >= 0 ? ` (${on.upn(r.relatedOnprem)})` : '';
    return `${upn} ${status} -> ${outcome}${match}${related}`;
  });
}

const ON = 'UserPrincipalName,ObjectGUID,mail,proxyAddresses,isCriticalSystemObject';
const CL = 'id,userPrincipalName,onPremisesImmutableId,onPremisesSyncEnabled,mail,proxyAddresses,directoryRoles,privilegedRole,onPremisesObjectIdentifier,onPremisesProvisioningErrors';

describe('not synced', () => {
  test('isCriticalSystemObject: left out by the default rules, whatever the cloud holds', () => {
    expect(predict(`${ON}\nadministrator@contoso.com,${G[1].guid},,,True`, `${CL}\nc1,administrator@contoso.com,${G[1].id},,,,,,,`)).toEqual([
      'administrator@contoso.com match -> not-synced/critical-system-object',
    ]);
  });
});

describe('1. hard match on the anchor, under any UPN', () => {
  test.each([
    ['no role, no identifier: taken over', '', '', '', '', {}, 'hard-match'],
    ['a privileged role held: refused (InvalidHardMatch)', 'Global Administrator', 'True', '', '', {}, 'blocked/privileged-role'],
    ['a privileged role eligible through PIM: refused', 'Privileged Role Administrator (eligible)', 'True', '', '', {}, 'blocked/privileged-role'],
    ['a role that is not privileged: taken over', 'Message Center Reader', 'False', '', '', {}, 'hard-match'],
    ['a role whose privilege is unknown: assumed not privileged', 'Helpdesk Administrator', '', '', '', {}, 'hard-match'],
    ["another object's identifier: refused (AttributeUpdateNotAllowed)", '', '', G[9].guid, '', {}, 'blocked/object-identifier-set'],
    ["this object's own objectGUID as identifier: taken over", '', '', G[1].guid.toUpperCase(), '', {}, 'hard-match'],
    ['cloud-managed, takeover blocked by the tenant', '', '', '', '', { blockHardMatchTakeover: true }, 'blocked/takeover-blocked'],
    ['synced already, takeover blocked by the tenant: taken over', '', '', '', 'True', { blockHardMatchTakeover: true }, 'hard-match'],
  ] as const)('%s', (_, roles, privileged, ident, sync, opts, outcome) => {
    const cloud = `${CL}\nc1,jo@contoso.com,${G[1].id},${sync},,,${roles},${privileged},${ident},`;
    expect(predict(`${ON}\njo@contoso.com,${G[1].guid},,,`, cloud, opts)).toEqual([`jo@contoso.com match -> ${outcome}`]);
  });

  test('under another UPN: the cloud user is named in match_upn, and its row names the on-prem user', () => {
    expect(predict(`${ON}\njo@contoso.com,${G[1].guid},,,`, `${CL}\nc1,j.old@contoso.com,${G[1].id},,,,Global Administrator,True,,`)).toEqual([
      'jo@contoso.com onprem-only/anchor-under-other-upn -> blocked/privileged-role [j.old@contoso.com]',
      'j.old@contoso.com cloud-only/anchor-of-onprem-user -> blocked/privileged-role (jo@contoso.com)',
    ]);
  });
});

describe('2. soft match: primary SMTP first, then UPN', () => {
  test('the SMTP: proxy address finds an account under another UPN, before the UPN is tried', () => {
    const onprem = `${ON}\njo@contoso.com,${G[1].guid},jo.mail@contoso.com,SMTP:jo@contoso.com;smtp:jo.alias@contoso.com,`;
    const cloud = `${CL}\nc1,jo@contoso.com,,,,,,,,\nc2,joanna@contoso.com,,,other@contoso.com,SMTP:jo@contoso.com,,,,`;
    expect(predict(onprem, cloud)).toEqual([
      'jo@contoso.com missing -> soft-match [joanna@contoso.com]',
      'joanna@contoso.com cloud-only/unanchored -> soft-match (jo@contoso.com)',
    ]);
  });

  test('mail counts where there is no SMTP: value, on either side, without case', () => {
    const cloud = `${CL}\nc2,joanna@contoso.com,,,JO@Contoso.com,,,,,`;
    expect(predict(`${ON}\njo@contoso.com,${G[1].guid},jo@contoso.com,,`, cloud)).toEqual([
      'jo@contoso.com onprem-only/will-create -> soft-match [joanna@contoso.com]',
      'joanna@contoso.com cloud-only/unanchored -> soft-match (jo@contoso.com)',
    ]);
  });

  test('a secondary smtp: address and *.onmicrosoft.com addresses do not soft-match', () => {
    const onprem = `${ON}\njo@contoso.com,${G[1].guid},,SMTP:jo@contoso.onmicrosoft.com,`;
    const cloud = `${CL}\nc2,joanna@contoso.com,,,,SMTP:joanna@contoso.com;smtp:jo@contoso.onmicrosoft.com,,,,`;
    expect(predict(onprem, cloud)).toEqual(['jo@contoso.com onprem-only/will-create -> create', 'joanna@contoso.com cloud-only/unanchored -> out-of-scope']);
  });

  test.each([
    ['no ImmutableID, no role: soft match', '', '', {}, 'soft-match'],
    ['an ImmutableID already (InvalidSoftMatch): a second account', G[5].id, '', {}, 'duplicate-created/anchor-differs'],
    ['the tenant blocks soft match', '', '', { blockSoftMatch: true }, 'duplicate-created/soft-match-blocked'],
    ['an active directory role', '', 'User Administrator', {}, 'duplicate-created/admin-role'],
    ['an eligible directory role (assumed to block as well)', '', 'User Administrator (eligible)', {}, 'duplicate-created/admin-role'],
    ['UPN soft match switched off and no SMTP match: the UPN is taken', '', '', { upnSoftMatch: false }, 'duplicate-created/upn-conflict'],
  ] as const)('on the UPN: %s', (_, immutableId, roles, opts, outcome) => {
    const status = immutableId ? 'mismatch/unknown-object' : 'missing';
    expect(predict(`${ON}\njo@contoso.com,${G[1].guid},,,`, `${CL}\nc1,jo@contoso.com,${immutableId},,,,${roles},,,`, opts)).toEqual([
      `jo@contoso.com ${status} -> ${outcome}`,
    ]);
  });
});

describe('3. create', () => {
  test('nothing matches: a new user', () => {
    expect(predict(`${ON}\njo@contoso.com,${G[1].guid},jo@contoso.com,,`, `${CL}\nc1,al@contoso.com,,,al@contoso.com,,,,,`)).toEqual([
      'jo@contoso.com onprem-only/will-create -> create',
      'al@contoso.com cloud-only/unanchored -> out-of-scope',
    ]);
  });

  test("an address another cloud user holds: created anyway, without it", () => {
    const cloud = `${CL}\nc1,al@contoso.com,,,al@contoso.com,SMTP:al@contoso.com;smtp:jo@contoso.com,,,,`;
    expect(predict(`${ON}\njo@contoso.com,${G[1].guid},jo@contoso.com,,`, cloud)).toEqual([
      'jo@contoso.com onprem-only/will-create -> duplicate-created/smtp-conflict',
      'al@contoso.com cloud-only/unanchored -> out-of-scope',
    ]);
  });
});

describe('rows with no prediction', () => {
  test('invalid and duplicate rows stay unknown', () => {
    const onprem = `${ON}\njo@contoso.com,not-a-guid,,,\nal@contoso.com,${G[2].guid},,,\nal@contoso.com,${G[3].guid},,,`;
    expect(predict(onprem, `${CL}\nc1,jo@contoso.com,,,,,,,,`)).toEqual([
      'jo@contoso.com invalid/bad-anchor -> unknown',
      'al@contoso.com duplicate/duplicate-upn-onprem -> unknown',
      'al@contoso.com duplicate/duplicate-upn-onprem -> unknown',
    ]);
  });

  test('a proxyAddresses cell that holds a type name is a reject that says how to re-export', () => {
    const { on } = tables(`${ON}\njo@contoso.com,${G[1].guid},,System.String[],`, `${CL}\n`);
    expect(on.invalid.get(0)).toEqual({
      reason: 'binary-export',
      column: 'proxyAddresses',
      value: 'System.String[]',
      message:
        "'System.String[]' is what Export-Csv writes for a multi-valued attribute: the addresses are not in the file; re-export with the values joined, e.g. Select-Object UserPrincipalName,ObjectGUID,mail,@{n='proxyAddresses';e={$_.proxyAddresses -join ';'}}",
    });
  });
});

describe('quarantined duplicates', () => {
  const onprem = `${ON}\njo.smith@contoso.com,${G[1].guid},,,`;
  test.each([
    ['a UserPrincipalName conflict in onPremisesProvisioningErrors', 'x@contoso.com', '[{"category":"PropertyConflict";"propertyCausingError":"UserPrincipalName"}]', {}, 'quarantined-duplicate'],
    ["an on-prem user's local part and four digits on the initial domain", 'jo.smith4821@contoso.onmicrosoft.com', '', {}, 'quarantined-duplicate'],
    ['the same on another tenant domain than the initial one', 'jo.smith4821@other.onmicrosoft.com', '', { initialDomain: 'contoso.onmicrosoft.com' }, 'unanchored'],
    ['four digits after a name no on-prem user has', 'room4821@contoso.onmicrosoft.com', '', {}, 'unanchored'],
    ['the +NNNN form the docs write', 'someone+4821@contoso.onmicrosoft.com', '', {}, 'quarantined-duplicate'],
  ] as const)('%s', (_, upn, errors, opts, reason) => {
    expect(predict(onprem, `${CL}\nc1,jo.smith@contoso.com,${G[1].id},,,,,,,\nc2,${upn},,,,,,,,${errors}`, opts)[1]).toBe(`${upn} cloud-only/${reason} -> out-of-scope`);
  });

  test('the local part is compared lower-cased, as text for a UPN that is not ASCII (the Kelvin sign lower-cases to k)', () => {
    const users = ['Ann.Lee@contoso.com', 'J\u00d6rg@contoso.com', '\u212aim@contoso.com', '@contoso.com', 'noat', 'b@c@contoso.com'];
    const guids = [G[1], G[2], G[3], G[4], G[5], G[6]].map((g) => g.guid);
    const onpremUsers = users.map((u, i) => `${u},${guids[i]},,,`).join('\n');
    const cloud = ['ann.lee4821', 'j\u00f6rg4821', 'kim4821', 'noat4821', 'b4821', 'b@c4821', 'ann.le4821', 'lee4821'].map((l, i) => `c${i},${l}@contoso.onmicrosoft.com,,,,,,,,`);
    const lines = predict(`${ON}\n${onpremUsers}`, `${CL}\n${cloud.join('\n')}`).slice(users.length);
    expect(lines).toEqual([
      'ann.lee4821@contoso.onmicrosoft.com cloud-only/quarantined-duplicate -> out-of-scope',
      'j\u00f6rg4821@contoso.onmicrosoft.com cloud-only/quarantined-duplicate -> out-of-scope',
      'kim4821@contoso.onmicrosoft.com cloud-only/quarantined-duplicate -> out-of-scope',
      'noat4821@contoso.onmicrosoft.com cloud-only/quarantined-duplicate -> out-of-scope',
      'b4821@contoso.onmicrosoft.com cloud-only/quarantined-duplicate -> out-of-scope',
      'b@c4821@contoso.onmicrosoft.com cloud-only/unanchored -> out-of-scope',
      'ann.le4821@contoso.onmicrosoft.com cloud-only/unanchored -> out-of-scope',
      'lee4821@contoso.onmicrosoft.com cloud-only/unanchored -> out-of-scope',
    ]);
  });
});

test('classify emits on-prem rows in file order, then the cloud rows nobody joined, each record once', () => {
  expect(predict(`${ON}\nb@x.com,${G[1].guid},,,\na@x.com,${G[2].guid},,,`, `${CL}\nc2,z@x.com,,,,,,,,\nc3,A@x.com,${G[2].id},,,,,,,`)).toEqual([
    'b@x.com onprem-only/will-create -> create',
    'a@x.com match -> hard-match',
    'z@x.com cloud-only/unanchored -> out-of-scope',
  ]);
});
