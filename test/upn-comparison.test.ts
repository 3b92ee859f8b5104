/**
 * UPNs are joined as Entra ID compares them: without regard to case (Entra UPNs are ASCII:
 * docs/reconcile.md, "How UPNs are compared"), other letters folded one to one but never onto
 * ASCII: a Kelvin sign or a dotted capital I is another character, not a case of k or i.
 */
import { foldUpn, sameUpn } from '../lib/core/upn';
import { G } from './guids';
import { csv, project, reconcileInline } from './helpers';

test.each([
  ['Jo.Smith@Contoso.COM', 'jo.smith@contoso.com'],
  ['\u212Aen@contoso.com', '\u212Aen@contoso.com'],
  ['\u0130van@contoso.com', '\u0130van@contoso.com'],
  ['ÉLISE@contoso.com', 'élise@contoso.com'],
  ['\u0131van@contoso.com', '\u0131van@contoso.com'],
  ['stra\u1E9Ee@contoso.com', 'stra\u00DFe@contoso.com'],
])('the join key of %j is %j', (upn, key) => {
  expect(foldUpn(upn)).toBe(key);
});

test('Kelvin sign and dotted I do not match k and i; ASCII case does', () => {
  expect(sameUpn('\u212Aen@contoso.com', 'ken@contoso.com')).toBe(false);
  expect(sameUpn('\u0130van@contoso.com', 'ivan@contoso.com')).toBe(false);
  expect(sameUpn('\u0131van@contoso.com', 'ivan@contoso.com')).toBe(false);
  expect(sameUpn('KEN@Contoso.com', 'ken@contoso.com')).toBe(true);
  expect(sameUpn('Ünal@contoso.com', 'ünal@contoso.com')).toBe(true);
});

test('reconcile joins ASCII case alike, and keeps a Kelvin-sign and a dotted-I account apart', async () => {
  const r = await reconcileInline(
    csv(`
      UserPrincipalName,ObjectGUID
      ken@contoso.com,${G[1].guid}
      ivan@contoso.com,${G[2].guid}
      MIA@contoso.com,${G[3].guid}
    `),
    csv(`
      id,userPrincipalName,onPremisesImmutableId
      c1,\u212Aen@contoso.com,
      c2,\u0130van@contoso.com,
      c3,mia@CONTOSO.com,${G[3].id}
    `),
  );
  expect(r.code).toBe(0);
  expect(project(r.reconciliation, ['upn', 'status', 'cloud_upn', 'onprem_line', 'cloud_line'])).toBe(
    csv(`
      upn,status,cloud_upn,onprem_line,cloud_line
      ken@contoso.com,onprem-only,,2,
      ivan@contoso.com,onprem-only,,3,
      MIA@contoso.com,match,mia@CONTOSO.com,4,4
      \u212Aen@contoso.com,cloud-only,\u212Aen@contoso.com,,2
      \u0130van@contoso.com,cloud-only,\u0130van@contoso.com,,3
    `),
  );
});
