/**
 * The built CLI, as an admin runs it, on the bundled fixtures. The expected reconciliation was
 * written by fixtures/make-fixtures.py from each case's intent, not by idrecon.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, csv, spawnCli, tempDir } from './helpers';

const ARGS = ['reconcile', '--onprem', 'fixtures/onprem-users.csv', '--cloud', 'fixtures/cloud-users.csv'];

test('reconciles the fixtures into exactly the expected files and summary', () => {
  const out = tempDir();
  const r = spawnCli([...ARGS, '--out', out]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(readFileSync(join(out, 'reconciliation.csv'), 'utf8')).toBe(readFileSync(join(ROOT, 'test/expected/fixtures-reconciliation.csv'), 'utf8'));
  expect(readFileSync(join(out, 'rejects.csv'), 'utf8')).toBe(
    '\ufeff' +
      csv(
        `
        file,line,column,value,reason,message
        fixtures/onprem-users.csv,21,mS-DS-ConsistencyGuid,System.Byte[],binary-export,"'System.Byte[]' is what Export-Csv writes for a binary or multi-valued attribute: the value is not in the file; re-export with the value converted, e.g. Select-Object UserPrincipalName,ObjectGUID,@{n='mS-DS-ConsistencyGuid';e={if($_.'mS-DS-ConsistencyGuid'){[guid]$_.'mS-DS-ConsistencyGuid'}}}"
        fixtures/onprem-users.csv,22,UserPrincipalName,,empty-upn,"the UPN is empty, so the row cannot be joined; give the user a UPN or leave the row out"
        fixtures/onprem-users.csv,23,ObjectGUID,74aa7831-ac60-4c6c-bcf0,bad-anchor,"'74aa7831-ac60-4c6c-bcf0' is not a GUID in any spelling idrecon knows (GUID, X'hex', Base64, LDAP escape); check the export"
      `,
        '\r\n',
      ),
  );
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  expect(summary.inputs).toEqual({
    onprem: { file: 'fixtures/onprem-users.csv', rows: 29, blank_rows: 0, encoding: 'utf-8', delimiter: ',' },
    cloud: { file: 'fixtures/cloud-users.csv', rows: 31, blank_rows: 0, encoding: 'utf-8', delimiter: ',' },
  });
  expect(summary.check).toBe('29 on-prem rows + 31 cloud rows = 41 output rows + 19 joined pairs');
  expect(summary.status).toEqual({ match: 5, missing: 2, mismatch: 6, 'okta-anchored': 3, 'onprem-only': 5, 'cloud-only': 9, duplicate: 8, invalid: 3 });
  expect(summary.entra_connect).toEqual({ blocked: 2, create: 1, 'duplicate-created': 8, 'hard-match': 9, 'not-synced': 1, 'out-of-scope': 6, 'soft-match': 3, unknown: 11 });
  expect(summary.entra_connect_reason).toEqual({
    'blocked/object-identifier-set': 1,
    'blocked/privileged-role': 1,
    create: 1,
    'duplicate-created/admin-role': 1,
    'duplicate-created/anchor-differs': 6,
    'duplicate-created/smtp-conflict': 1,
    'hard-match': 9,
    'not-synced/critical-system-object': 1,
    'out-of-scope': 6,
    'soft-match': 3,
    unknown: 11,
  });
  expect(summary.tenant_settings).toEqual({
    blockSoftMatch: { value: false, source: 'default', feature: 'blockSoftMatchEnabled' },
    blockHardMatchTakeover: { value: false, source: 'default', feature: 'blockCloudObjectTakeoverThroughHardMatchEnabled' },
    upnSoftMatch: { value: true, source: 'default', feature: 'softMatchOnUpnEnabled' },
  });
  expect(r.stdout).toContain('check: 29 on-prem rows + 31 cloud rows = 41 output rows + 19 joined pairs\n');
  expect(r.stdout).toContain(
    '\ntenant settings: blockSoftMatchEnabled false (default), blockCloudObjectTakeoverThroughHardMatchEnabled false (default), softMatchOnUpnEnabled true (default)\n',
  );
});

test('--fail-on exits 3 after writing complete output, for scripted gates', () => {
  const out = tempDir();
  const r = spawnCli([...ARGS, '--out', out, '--fail-on', 'mismatch,okta-anchored']);
  expect(r.code).toBe(3);
  expect(r.stderr).toBe(`idrecon: 9 rows have a status named in --fail-on (mismatch,okta-anchored); see ${out}/reconciliation.csv\n`);
  expect(readFileSync(join(out, 'reconciliation.csv'), 'utf8')).toBe(readFileSync(join(ROOT, 'test/expected/fixtures-reconciliation.csv'), 'utf8'));
  expect(spawnCli([...ARGS, '--out', out, '--fail-on', 'invalid'])).toMatchObject({ code: 3 });
  expect(spawnCli([...ARGS, '--out', out, '--fail-on', 'onprem-only'])).toMatchObject({ code: 3 });
});

test('a gate keeps its exit code when the summary goes to a closed pipe', () => {
  const out = tempDir();
  const script = `set -o pipefail; node bin/idrecon.js ${ARGS.join(' ')} --out ${out} --fail-on mismatch | true`;
  const r = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status).toBe(3);
});

test('a reader that stops early (| head) ends the run quietly', () => {
  // About 1.3 MB of output: far more than a pipe holds, so the writer meets the closed pipe.
  const script = 'set -o pipefail; node bin/idrecon.js convert $(yes 74aa7831-ac60-4c6c-bcf0-3c42b310baea | head -n 3000) | head -n 1';
  const r = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stdout).toBe('74aa7831-ac60-4c6c-bcf0-3c42b310baea  (guid)\n');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});
