/**
 * reconcile classifies the on-prem rows in blocks on two threads, each block on whichever thread
 * takes it first. The rows must be the ones a single pass in file order gives: the pieces share
 * which cloud users were joined, and of two on-prem users taking over one cloud user, the first
 * in the file wins however the pieces were shared out.
 */
import { Classifier, type ReconRow, blankRow, classify, DEFAULT_TENANT } from '../lib/core/classify';
import type { CloudTable, OnpremTable } from '../lib/core/tables';
import { loadCloud, loadOnprem } from '../lib/reconcile/load';
import { G } from './guids';
import { tables } from './tables';

const show = (on: OnpremTable, cl: CloudTable) => (r: ReconRow): string => {
  const upn = r.onprem >= 0 ? on.upn(r.onprem) : cl.upn(r.cloud);
  const related = r.relatedOnprem >= 0 ? on.upn(r.relatedOnprem) : r.relatedCloud >= 0 ? cl.upn(r.relatedCloud) : '';
  return [upn, r.status, r.reason, r.entraConnect, r.entraConnectReason, r.match >= 0 ? cl.upn(r.match) : '', related].join(' ');
};

/**
 * The rows when on-prem rows [0, cut) go to one Classifier and [cut, end) to another, the second
 * piece done first, and the Classifier that writes the cloud rows is `writer` (the first or the second).
 */
function split(on: OnpremTable, cl: CloudTable, cut: number, writer: 0 | 1): string[] {
  const joined = new Uint8Array(cl.count);
  const pieces = [new Classifier(on, cl, DEFAULT_TENANT, undefined, joined), new Classifier(on, cl, DEFAULT_TENANT, undefined, joined)];
  const rows: ReconRow[] = [];
  for (let o = cut; o < on.count; o++) rows[o] = pieces[1].onpremRow(o, blankRow());
  for (let o = 0; o < cut; o++) rows[o] = pieces[0].onpremRow(o, blankRow());
  pieces[writer].adopt(pieces[1 - writer].takeovers());
  return [...rows, ...pieces[writer].cloudRows()].map(show(on, cl));
}

test('two on-prem users soft-matching one cloud user: the first in the file takes it over, whichever piece ran first', () => {
  const { on, cl } = tables(
    `UserPrincipalName,ObjectGUID,mail
     ann@contoso.com,${G[1].guid},shared@contoso.com
     bob@contoso.com,${G[2].guid},shared@contoso.com`,
    `id,userPrincipalName,onPremisesImmutableId,mail
     c1,mailbox@contoso.com,,shared@contoso.com`,
  );
  const single = [...classify(on, cl, DEFAULT_TENANT)].map(show(on, cl));
  expect(single).toEqual([
    'ann@contoso.com onprem-only will-create soft-match  mailbox@contoso.com ',
    'bob@contoso.com onprem-only will-create soft-match  mailbox@contoso.com ',
    'mailbox@contoso.com cloud-only unanchored soft-match   ann@contoso.com',
  ]);
  expect(split(on, cl, 1, 0)).toEqual(single);
  expect(split(on, cl, 1, 1)).toEqual(single);
});

test('the fixtures cut at every row, either piece writing the cloud rows, give the rows of one pass', async () => {
  const on = (await loadOnprem('fixtures/onprem-users.csv', { encoding: 'auto', delimiter: 'auto' }, {}, { sourceAnchor: 'auto', hexOrder: undefined }, () => undefined)).table;
  const cl = (await loadCloud('fixtures/cloud-users.csv', { encoding: 'auto', delimiter: 'auto' }, {}, () => undefined)).table;
  const single = [...classify(on, cl, DEFAULT_TENANT)].map(show(on, cl));
  expect(single.filter((r) => r.includes(' cloud-only ')).length).toBeGreaterThan(3);
  for (let cut = 0; cut <= on.count; cut++) {
    expect(split(on, cl, cut, 0)).toEqual(single);
    expect(split(on, cl, cut, 1)).toEqual(single);
  }
});
