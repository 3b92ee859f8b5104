/**
 * The tenant switches the prediction assumes: from the saved answer of
 * GET /directory/onPremisesSynchronization (Graph's or PowerShell's JSON), flags winning over the
 * file, and each one reported with where it came from.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { G } from './guids';
import { csv, project, reconcileInline, tempDir } from './helpers';

const ONPREM = csv(`
  UserPrincipalName,ObjectGUID
  jo@contoso.com,${G[1].guid}
  al@contoso.com,${G[2].guid}
`);
const CLOUD = csv(`
  id,userPrincipalName,onPremisesImmutableId,onPremisesSyncEnabled
  c1,jo@contoso.com,,
  c2,al@contoso.com,${G[2].id},
`);

/** As Graph answers GET /v1.0/directory/onPremisesSynchronization (trimmed to what matters). */
const GRAPH = JSON.stringify({
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directory/onPremisesSynchronization',
  value: [
    {
      id: '00000000-0000-4000-8000-00000000d1d0',
      configuration: { accidentalDeletionPrevention: { synchronizationPreventionType: 'enabledForCount', alertThreshold: 500 } },
      features: { blockSoftMatchEnabled: true, blockCloudObjectTakeoverThroughHardMatchEnabled: true, softMatchOnUpnEnabled: true, passwordSyncEnabled: false },
    },
  ],
});

/** As `Get-MgDirectoryOnPremiseSynchronization | ConvertTo-Json -Depth 5` writes it: PascalCase, no value array. */
const POWERSHELL = JSON.stringify({
  Configuration: { AccidentalDeletionPrevention: { AlertThreshold: 500 } },
  Features: { BlockSoftMatchEnabled: false, BlockCloudObjectTakeoverThroughHardMatchEnabled: true, SoftMatchOnUpnEnabled: false, AdditionalProperties: {} },
  Id: '00000000-0000-4000-8000-00000000d1d0',
});

function settingsFile(text: string): string {
  const file = join(tempDir(), 'sync.json');
  writeFileSync(file, text);
  return file;
}

test("Graph's answer: soft match and takeover blocked, and the summary says the file said so", async () => {
  const file = settingsFile(GRAPH);
  const r = await reconcileInline(ONPREM, CLOUD, ['--tenant-settings', file]);
  expect(r.code).toBe(0);
  expect(project(r.reconciliation, ['upn', 'entra_connect', 'entra_connect_reason'])).toBe(
    csv(`
      upn,entra_connect,entra_connect_reason
      jo@contoso.com,duplicate-created,soft-match-blocked
      al@contoso.com,blocked,takeover-blocked
    `),
  );
  expect(r.summary.tenant_settings).toEqual({
    blockSoftMatch: { value: true, source: 'file', feature: 'blockSoftMatchEnabled' },
    blockHardMatchTakeover: { value: true, source: 'file', feature: 'blockCloudObjectTakeoverThroughHardMatchEnabled' },
    upnSoftMatch: { value: true, source: 'file', feature: 'softMatchOnUpnEnabled' },
    file,
  });
});

test("PowerShell's JSON, with flags that win over it", async () => {
  const file = settingsFile(POWERSHELL);
  const r = await reconcileInline(ONPREM, CLOUD, ['--tenant-settings', file, '--upn-soft-match', '--no-block-hard-match-takeover']);
  expect(project(r.reconciliation, ['upn', 'entra_connect', 'entra_connect_reason'])).toBe(
    csv(`
      upn,entra_connect,entra_connect_reason
      jo@contoso.com,soft-match,
      al@contoso.com,hard-match,
    `),
  );
  expect(r.stdout).toContain(
    `\ntenant settings: blockSoftMatchEnabled false (from ${file}), blockCloudObjectTakeoverThroughHardMatchEnabled false (from the command line), softMatchOnUpnEnabled true (from the command line)\n`,
  );
});

test('--no-upn-soft-match: a cloud user with the same UPN and no SMTP match makes the new user a duplicate', async () => {
  const r = await reconcileInline(ONPREM, CLOUD, ['--no-upn-soft-match']);
  expect(project(r.reconciliation, ['upn', 'entra_connect', 'entra_connect_reason']).split('\n')[1]).toBe('jo@contoso.com,duplicate-created,upn-conflict');
});

test.each([
  ['not JSON', '{"features": ', "the tenant settings are not JSON (Unexpected end of JSON input); expected the answer of GET /directory/onPremisesSynchronization"],
  ['no features', '{"value": []}', "no 'features' in the tenant settings; expected the answer of GET /directory/onPremisesSynchronization or Get-MgDirectoryOnPremiseSynchronization | ConvertTo-Json -Depth 5"],
  ['a switch that is not true or false', '{"features": {"blockSoftMatchEnabled": "yes"}}', 'blockSoftMatchEnabled is "yes"; expected true or false'],
])('a settings file with %s is refused with exit 2 and nothing written', async (_, text, message) => {
  const file = settingsFile(text);
  const r = await reconcileInline(ONPREM, CLOUD, ['--tenant-settings', file]);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(`idrecon: ${file}: ${message}\n`);
  expect(r.reconciliation).toBe('');
});
