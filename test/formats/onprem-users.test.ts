/**
 * The on-prem users file that export onprem writes reads back to its directory entries, and
 * reconcile reads it: the GUIDs come back as the bytes AD holds.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttributeValue, DirectoryEntry } from '../../lib/core/directory-entry';
import { ONPREM_CSV_COLUMNS, onpremRow } from '../../lib/formats/onprem-users';
import { CsvWriter } from '../../lib/io/csv-writer';
import { readTable } from '../../lib/io/table';
import { cli, project, tempDir } from '../helpers';

const guid = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

function entry(dn: string, attributes: Record<string, AttributeValue[]>): DirectoryEntry {
  return { dn, values: (a) => Object.entries(attributes).find(([k]) => k.toLowerCase() === a.toLowerCase())?.[1] ?? [] };
}

const ENTRIES = [
  entry('CN=Jones\\, Judy,OU=Staff,DC=contoso,DC=com', {
    userPrincipalName: ['judy.jones@contoso.com'],
    objectGUID: [guid('fbd91a1a95e65c55a53bc97f20e2e0cb')],
    mail: ['judy.jones@contoso.com'],
    proxyAddresses: ['SMTP:judy.jones@contoso.com', 'smtp:jj@contoso.com'],
    sAMAccountName: ['jjones'],
    userAccountControl: ['514'],
    objectSid: [Uint8Array.from([1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0])],
    whenChanged: ['20260102030405.0Z'],
  }),
  entry('CN=Ann,DC=contoso,DC=com', {
    userPrincipalName: ['ann@contoso.com'],
    objectGUID: [guid('2bd92b2b95e65c55a53bc97f20e2e0cb')],
    'mS-DS-ConsistencyGuid': [guid('fbd91a1a95e65c55a53bc97f20e2e0cc')],
    userAccountControl: ['512'],
    isCriticalSystemObject: ['TRUE'],
  }),
];

test('on-prem users round-trip through the file, and reconcile reads it', async () => {
  const dir = tempDir();
  const file = join(dir, 'onprem.csv');
  const out = new CsvWriter(file, ONPREM_CSV_COLUMNS);
  for (const e of ENTRIES) await out.row(onpremRow(e));
  await out.commit();
  const specs = ONPREM_CSV_COLUMNS.map((c) => ({ field: c, label: c, aliases: [c], required: true }));
  const rows: string[][] = [];
  for await (const row of readTable(file, { encoding: 'auto', delimiter: 'auto' }, specs)) rows.push(ONPREM_CSV_COLUMNS.map((c) => row.cell(c)));
  expect(rows).toEqual([
    ['judy.jones@contoso.com', '1a1ad9fb-e695-555c-a53b-c97f20e2e0cb', '', 'judy.jones@contoso.com', 'SMTP:judy.jones@contoso.com;smtp:jj@contoso.com', 'jjones', 'CN=Jones\\, Judy,OU=Staff,DC=contoso,DC=com', 'False', 'False', 'S-1-5-18', '2026-01-02T03:04:05Z'],
    ['ann@contoso.com', '2b2bd92b-e695-555c-a53b-c97f20e2e0cb', '1a1ad9fb-e695-555c-a53b-c97f20e2e0cc', '', '', '', 'CN=Ann,DC=contoso,DC=com', 'True', 'True', '', ''],
  ]);
  writeFileSync(join(dir, 'cloud.csv'), 'id,userPrincipalName,onPremisesImmutableId\n');
  const r = await cli(['reconcile', '--onprem', file, '--cloud', join(dir, 'cloud.csv'), '--out', join(dir, 'out')]);
  expect([r.code, r.stderr]).toEqual([0, '']);
  expect(project(readFileSync(join(dir, 'out', 'reconciliation.csv'), 'utf8'), ['upn', 'anchor_attribute', 'object_guid', 'consistency_guid', 'entra_connect'])).toBe(
    [
      'upn,anchor_attribute,object_guid,consistency_guid,entra_connect',
      'judy.jones@contoso.com,objectGUID,1a1ad9fb-e695-555c-a53b-c97f20e2e0cb,,create',
      'ann@contoso.com,mS-DS-ConsistencyGuid,2b2bd92b-e695-555c-a53b-c97f20e2e0cb,1a1ad9fb-e695-555c-a53b-c97f20e2e0cc,not-synced',
      '',
    ].join('\n'),
  );
});
