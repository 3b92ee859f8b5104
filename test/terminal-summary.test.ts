/**
 * The summary an admin reads on the terminal: match first as the good news, then what needs
 * attention by count with its reasons, and the next command to run. Colour only on a terminal.
 */
import { readdirSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { colourFor } from '../lib/io/colour';
import { csv, spawnCli, tempDir } from './helpers';

test('the fixtures summary leads with match, orders problems by count and ends with the next step', () => {
  const out = tempDir();
  const r = spawnCli(['reconcile', '--onprem', 'fixtures/onprem-users.csv', '--cloud', 'fixtures/cloud-users.csv', '--out', out]);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(
    csv(`
      on-prem  29 rows  fixtures/onprem-users.csv
      cloud    31 rows  fixtures/cloud-users.csv

      match                                  5  right already: nothing to do
      needs attention                       36
        cloud-only                           9
          quarantined-duplicate              3
          unanchored                         3
          anchor-of-onprem-user              1
          okta-anchored                      1
          orphan-anchor                      1
        duplicate                            8
          duplicate-upn-cloud                3
          duplicate-upn-onprem               3
          duplicate-anchor-onprem            2
        mismatch                             6
          anchor-of-other-user               2
          byte-order                         1
          not-guid                           1
          other-anchor-attribute             1
          unknown-object                     1
        onprem-only                          5
          will-create                        4
          anchor-under-other-upn             1
        invalid                              3
          bad-anchor                         1
          binary-export                      1
          empty-upn                          1
        okta-anchored                        3
          okta-user-id                       2
          okta-appuser-id                    1
        missing                              2
      total                                 41

      entra connect: unknown 11, hard-match 9, duplicate-created/anchor-differs 6, out-of-scope 6, soft-match 3, blocked/object-identifier-set 1, blocked/privileged-role 1, create 1, duplicate-created/admin-role 1, duplicate-created/smtp-conflict 1, not-synced/critical-system-object 1
      tenant settings: blockSoftMatchEnabled false (default), blockCloudObjectTakeoverThroughHardMatchEnabled false (default), softMatchOnUpnEnabled true (default)
      check: 29 on-prem rows + 31 cloud rows = 41 output rows + 19 joined pairs
      rejects: 3 (rejects.csv says why)
      wrote ${out}/reconciliation.csv, rejects.csv, summary.json, report.html

      next: open ${out}/report.html
        make the plan: idrecon plan --reconciliation ${out}/reconciliation.csv --out ${out}/plan.csv --domains domains.csv
        11 invalid or duplicate rows cannot be planned: fix them in the exports, then run this reconcile again
    `),
  );
});

test('with --no-report there is no report, and an old one is removed', () => {
  const out = tempDir();
  spawnCli(['reconcile', '--onprem', 'fixtures/onprem-users.csv', '--cloud', 'fixtures/cloud-users.csv', '--out', out]);
  const r = spawnCli(['reconcile', '--onprem', 'fixtures/onprem-users.csv', '--cloud', 'fixtures/cloud-users.csv', '--out', out, '--no-report']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`wrote ${out}/reconciliation.csv, rejects.csv, summary.json\n\nnext: make the plan: idrecon plan`);
  expect(readdirSync(out).sort()).toEqual(['manifest.json', 'reconciliation.csv', 'rejects.csv', 'summary.json']);
});

test('colour only on a terminal, and never with NO_COLOR', () => {
  const tty = Object.assign(new PassThrough(), { isTTY: true });
  expect(colourFor(tty, {}).good('match')).toBe('\x1b[32mmatch\x1b[0m');
  expect(colourFor(tty, { NO_COLOR: '1' }).good('match')).toBe('match');
  expect(colourFor(tty, { NO_COLOR: '' }).good('match')).toBe('\x1b[32mmatch\x1b[0m');
  expect(colourFor(new PassThrough(), {}).good('match')).toBe('match');
});

test('-V and --version print the version; -h prints the help', () => {
  const { version } = require('../package.json');
  expect(spawnCli(['-V'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  expect(spawnCli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  const help = spawnCli(['-h']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('idrecon <command> [options]');
  expect(help.stdout).toMatch(/-V, --version/);
});
