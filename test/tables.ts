/**
 * Inline exports as the two tables reconcile classifies, for tests of the pure classifier.
 */
import { CloudRows, type FieldBytes, OnpremRows } from '../lib/core/records';
import { CloudTable, OnpremTable } from '../lib/core/tables';
import { resolveColumns } from '../lib/io/columns';
import { CLOUD_COLUMNS, onpremColumns } from '../lib/reconcile/load';
import { csv } from './helpers';

/** A record as the CSV reader hands it over, from its fields. */
function record(line: number, fields: string[]): FieldBytes {
  const bytes = fields.map((f) => Buffer.from(f));
  const starts = new Int32Array(fields.length);
  const ends = new Int32Array(fields.length);
  bytes.reduce((at, b, i) => ((starts[i] = at), (ends[i] = at + b.length)), 0);
  return { buf: Buffer.concat(bytes), line, count: fields.length, starts, ends, escaped: new Uint8Array(fields.length), text: (i) => fields[i] ?? '' };
}

/** Inline CSV without quoting (the cases need none) into the two tables, found by header as reconcile does. */
export function tables(onprem: string, cloud: string): { on: OnpremTable; cl: CloudTable } {
  const lines = (text: string) => csv(text).split('\n').filter(Boolean).map((l) => l.split(','));
  const [oh, ...orows] = lines(onprem);
  const oc = resolveColumns(oh, onpremColumns('auto'), {}, { file: 'onprem.csv', line: 1 });
  const at = <F extends string>(c: Record<F, number | undefined>, h: string[], f: F) => (c[f] === undefined ? undefined : { index: c[f]!, name: h[c[f]!] });
  const on = new OnpremRows(
    new OnpremTable(),
    'onprem.csv',
    oh.length,
    { upn: at(oc, oh, 'upn')!, objectGuid: at(oc, oh, 'objectGuid'), consistencyGuid: at(oc, oh, 'consistencyGuid'), mail: at(oc, oh, 'mail'), proxyAddresses: at(oc, oh, 'proxyAddresses'), critical: at(oc, oh, 'critical') },
    { sourceAnchor: 'auto', hexOrder: undefined },
  );
  orows.forEach((r, i) => on.add(record(i + 2, r)));
  const [ch, ...crows] = lines(cloud);
  const cc = resolveColumns(ch, CLOUD_COLUMNS, {}, { file: 'cloud.csv', line: 1 });
  const cl = new CloudRows(new CloudTable(), 'cloud.csv', ch.length, {
    upn: at(cc, ch, 'upn')!,
    objectId: at(cc, ch, 'objectId'),
    immutableId: at(cc, ch, 'immutableId')!,
    syncEnabled: at(cc, ch, 'syncEnabled'),
    mail: at(cc, ch, 'mail'),
    proxyAddresses: at(cc, ch, 'proxyAddresses'),
    directoryRoles: at(cc, ch, 'directoryRoles'),
    privilegedRole: at(cc, ch, 'privilegedRole'),
    objectIdentifier: at(cc, ch, 'objectIdentifier'),
    provisioningErrors: at(cc, ch, 'provisioningErrors'),
  });
  crows.forEach((r, i) => cl.add(record(i + 2, r)));
  return { on: on.table, cl: cl.table };
}

