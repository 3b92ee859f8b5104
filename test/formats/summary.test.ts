/** summary.json holds the run's version, time and settings, then every count of the summary, as written. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtomicFile } from '../../lib/io/csv-writer';
import { type Summary, summaryFile, writeSummary } from '../../lib/formats/summary';
import { VERSION } from '../../lib/version';
import { tempDir } from '../helpers';

const input = (file: string, rows: number) => ({ file, rows, blank_rows: 0, encoding: 'utf-8', delimiter: ',' });
const SUMMARY: Summary = {
  inputs: { onprem: input('onprem.csv', 2), cloud: input('cloud.csv', 2) },
  output_rows: 3,
  joined_pairs: 1,
  rejects: 0,
  status: { match: 1, missing: 0, mismatch: 0, 'okta-anchored': 0, 'onprem-only': 1, 'cloud-only': 1, duplicate: 0, invalid: 0 },
  status_reason: { match: 1, 'cloud-only': 1, 'onprem-only': 1 },
  entra_connect: { 'hard-match': 1 },
  entra_connect_reason: { 'hard-match': 1 },
  tenant_settings: {
    blockSoftMatch: { value: true, source: 'file', feature: 'blockSoftMatchEnabled' },
    blockHardMatchTakeover: { value: true, source: 'default', feature: 'blockCloudObjectTakeoverThroughHardMatchEnabled' },
    upnSoftMatch: { value: false, source: 'flag', feature: 'softMatchOnUpnEnabled' },
    file: 'tenant-settings.json',
  },
  okta: { file: 'okta.csv', rows: 2, users: 1, without_user_name: 1, not_in_reconciliation: 0, check: { agrees: 1, differs: 0, 'not-assigned': 2 } },
  balanced: true,
  check: '2 on-prem rows + 2 cloud rows = 3 output rows + 1 joined pairs',
};

test('the summary round-trips through summary.json, after the version, time and settings of the run', async () => {
  const file = join(tempDir(), 'summary.json');
  const out = new AtomicFile(file);
  const written = summaryFile(SUMMARY, { ranAt: '2026-12-01T04:00:00.000Z', sourceAnchor: 'auto', hexOrder: 'raw' });
  await writeSummary(out, written);
  await out.commit();
  const text = readFileSync(file, 'utf8');
  expect(JSON.parse(text)).toEqual({
    idrecon_version: VERSION,
    ran_at: '2026-12-01T04:00:00.000Z',
    settings: { source_anchor: 'auto', hex_order: 'raw', block_soft_match: true },
    ...SUMMARY,
  });
  expect(Object.keys(JSON.parse(text)).slice(0, 4)).toEqual(['idrecon_version', 'ran_at', 'settings', 'inputs']);
  expect(text.endsWith('}\n')).toBe(true);
});
