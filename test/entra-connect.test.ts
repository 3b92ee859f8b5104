/** The predicted Entra Connect outcome for every status and reason: pure function, plain data. */
import { type CloudRecord, type OnpremRecord, classify, entraConnectOutcome } from '../lib/core/classify';
import { G } from './guids';

test.each([
  ['match', '', 'hard-match', 'hard-match'],
  ['missing', '', 'soft-match', 'duplicate-created'],
  ['mismatch', 'byte-order', 'duplicate-created', 'duplicate-created'],
  ['okta-anchored', 'okta-user-id', 'duplicate-created', 'duplicate-created'],
  ['onprem-only', 'will-create', 'create', 'create'],
  ['onprem-only', 'anchor-under-other-upn', 'hard-match', 'hard-match'],
  ['cloud-only', 'anchor-of-onprem-user', 'hard-match', 'hard-match'],
  ['cloud-only', 'orphan-anchor', 'out-of-scope', 'out-of-scope'],
  ['cloud-only', 'unanchored', 'out-of-scope', 'out-of-scope'],
  ['duplicate', 'duplicate-upn-cloud', 'unknown', 'unknown'],
  ['invalid', 'binary-export', 'unknown', 'unknown'],
] as const)('%s/%s: %s, or %s when soft match is blocked', (status, reason, open, blocked) => {
  expect(entraConnectOutcome(status, reason, { blockSoftMatch: false })).toBe(open);
  expect(entraConnectOutcome(status, reason, { blockSoftMatch: true })).toBe(blocked);
});

const onprem = (line: number, upn: string, objectGuid: string): OnpremRecord => ({
  line,
  upn,
  key: upn.toLowerCase(),
  objectGuid,
  consistencyGuid: '',
  anchorAttribute: 'objectGUID',
  invalid: undefined,
});
const cloud = (line: number, upn: string, immutableId: string): CloudRecord => ({
  line,
  upn,
  key: upn.toLowerCase(),
  objectId: `c${line}`,
  immutableId,
  syncEnabled: '',
  invalid: undefined,
});

test('classify emits on-prem rows in file order, then the cloud rows nobody joined, each record once', () => {
  const rows = [...classify([onprem(2, 'b@x.com', G[1].id), onprem(3, 'a@x.com', G[2].id)], [cloud(2, 'z@x.com', ''), cloud(3, 'A@x.com', G[2].id)], { blockSoftMatch: false })];
  expect(rows.map((r) => [r.upn, r.status, r.onprem?.line, r.cloud?.line])).toEqual([
    ['b@x.com', 'onprem-only', 2, undefined],
    ['a@x.com', 'match', 3, 3],
    ['z@x.com', 'cloud-only', undefined, 2],
  ]);
});
