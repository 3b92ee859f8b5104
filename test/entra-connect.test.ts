/** The predicted Entra Connect outcome for every status and reason: pure function, plain data. */
import { classify, entraConnectOutcome } from '../lib/core/classify';
import { CloudRows, type FieldBytes, OnpremRows } from '../lib/core/records';
import { CloudTable, OnpremTable } from '../lib/core/tables';
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

/** A record as the CSV reader hands it over, from its fields. */
function record(line: number, fields: string[]): FieldBytes {
  const bytes = fields.map((f) => Buffer.from(f));
  const starts = new Int32Array(fields.length);
  const ends = new Int32Array(fields.length);
  bytes.reduce((at, b, i) => ((starts[i] = at), (ends[i] = at + b.length)), 0);
  return { buf: Buffer.concat(bytes), line, count: fields.length, starts, ends, escaped: new Uint8Array(fields.length), text: (i) => fields[i] ?? '' };
}

test('classify emits on-prem rows in file order, then the cloud rows nobody joined, each record once', () => {
  const onprem = new OnpremRows(new OnpremTable(), 'onprem.csv', 2, { upn: { index: 0, name: 'upn' }, objectGuid: { index: 1, name: 'ObjectGUID' }, consistencyGuid: undefined }, { sourceAnchor: 'auto', hexOrder: undefined });
  onprem.add(record(2, ['b@x.com', G[1].guid]));
  onprem.add(record(3, ['a@x.com', G[2].guid]));
  const cloud = new CloudRows(new CloudTable(), 'cloud.csv', 3, { upn: { index: 1, name: 'upn' }, objectId: { index: 0, name: 'id' }, immutableId: { index: 2, name: 'ImmutableId' }, syncEnabled: undefined });
  cloud.add(record(2, ['c2', 'z@x.com', '']));
  cloud.add(record(3, ['c3', 'A@x.com', G[2].id]));
  const on = onprem.table;
  const cl = cloud.table;
  const rows = [...classify(on, cl, { blockSoftMatch: false })];
  expect(rows.map((r) => [r.onprem >= 0 ? on.upn(r.onprem) : cl.upn(r.cloud), r.status, on.line[r.onprem], cl.line[r.cloud]])).toEqual([
    ['b@x.com', 'onprem-only', 2, undefined],
    ['a@x.com', 'match', 3, 3],
    ['z@x.com', 'cloud-only', undefined, 2],
  ]);
});
