/**
 * report.html says what to do in the words of docs/statuses.md, read from that page: every
 * status/reason of the fixtures run and every Entra Connect outcome has its advice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAdvice, todoFor } from '../lib/reconcile/advice';
import { ROOT, spawnCli, tempDir } from './helpers';

const advice = parseAdvice(readFileSync(join(ROOT, 'docs', 'statuses.md'), 'utf8'));

test('every status/reason and outcome of the fixtures run has its advice from docs/statuses.md', () => {
  const out = tempDir();
  expect(spawnCli(['reconcile', '--onprem', 'fixtures/onprem-users.csv', '--cloud', 'fixtures/cloud-users.csv', '--out', out, '--no-report']).code).toBe(0);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  for (const key of Object.keys(summary.status_reason)) expect([key, todoFor(advice, key)]).toEqual([key, expect.any(String)]);
  for (const key of Object.keys(summary.entra_connect)) expect([key, advice.outcome.get(key)]).toEqual([key, expect.any(String)]);
});

test('a reason takes its own Do paragraph, a heading naming two reasons gives both, and the status prefix is dropped', () => {
  const md = [
    '## mismatch',
    '**Do**, in general: correct the value.',
    '### byte-order',
    '**Do**: set the cloud ImmutableID to\n`expected_immutable_id`.',
    '### not-guid',
    'No advice of its own.',
    '## okta-anchored',
    '### okta-appuser-id and okta-user-id',
    '**Do**: re-anchor.',
    '## cloud-only',
    '### cloud-only okta-anchored',
    '**Do**: nothing.',
    '## What Entra Connect will do (entra_connect)',
    '| Value | Given to | Meaning |\n|---|---|---|\n| `create` | `onprem-only`/`will-create` | Entra Connect creates a new cloud user. |',
  ].join('\n\n');
  const a = parseAdvice(md);
  expect(Object.fromEntries(a.todo)).toEqual({
    mismatch: 'correct the value.',
    'mismatch/byte-order': 'set the cloud ImmutableID to `expected_immutable_id`.',
    'okta-anchored/okta-appuser-id': 're-anchor.',
    'okta-anchored/okta-user-id': 're-anchor.',
    'cloud-only/okta-anchored': 'nothing.',
  });
  expect(todoFor(a, 'mismatch/not-guid')).toBe('correct the value.');
  expect(Object.fromEntries(a.outcome)).toEqual({ create: 'Entra Connect creates a new cloud user.' });
});
