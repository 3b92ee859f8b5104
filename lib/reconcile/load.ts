/**
 * Streams an export file into its table, one row per data record, holding only the few fields
 * classification needs (memory grows with rows, never with the file's other columns).
 */
import { IdreconError } from '../errors';
import { type ColumnAt, CloudRows, type OnpremOptions, OnpremRows } from '../core/records';
import { CloudTable, OnpremTable } from '../core/tables';
import { type ColumnIndexes, type ColumnSpec, resolveColumns } from '../io/columns';
import { type CsvReadOptions, type CsvStats, type RawRecord, scanCsv } from '../io/csv-reader';

export type OnpremField = 'upn' | 'objectGuid' | 'consistencyGuid';
export type CloudField = 'upn' | 'objectId' | 'immutableId' | 'syncEnabled';

export function onpremColumns(sourceAnchor: OnpremOptions['sourceAnchor']): ColumnSpec<OnpremField>[] {
  return [
    { field: 'upn', label: 'UserPrincipalName', aliases: ['UserPrincipalName', 'upn'], required: true, option: '--onprem-upn-column' },
    { field: 'objectGuid', label: 'objectGUID', aliases: ['objectGUID', 'ObjectGUID'], required: sourceAnchor !== 'mS-DS-ConsistencyGuid', option: '--onprem-guid-column' },
    {
      field: 'consistencyGuid',
      label: 'mS-DS-ConsistencyGuid',
      aliases: ['mS-DS-ConsistencyGuid', 'msDS-ConsistencyGuid', 'ConsistencyGuid'],
      required: sourceAnchor === 'mS-DS-ConsistencyGuid',
      option: '--onprem-consistency-guid-column',
    },
  ];
}

export const CLOUD_COLUMNS: ColumnSpec<CloudField>[] = [
  { field: 'upn', label: 'userPrincipalName', aliases: ['userPrincipalName', 'upn'], required: true, option: '--cloud-upn-column' },
  { field: 'objectId', label: 'object id', aliases: ['id', 'ObjectId'], required: false, option: '--cloud-id-column' },
  {
    field: 'immutableId',
    label: 'onPremisesImmutableId',
    aliases: ['onPremisesImmutableId', 'ImmutableId'],
    required: true,
    option: '--cloud-immutable-id-column',
  },
  { field: 'syncEnabled', label: 'onPremisesSyncEnabled', aliases: ['onPremisesSyncEnabled', 'DirSyncEnabled'], required: false, option: '--cloud-sync-column' },
];

export interface Loaded<T> {
  file: string;
  table: T;
  stats: CsvStats;
}

/** Reports rows read so far, every 64k rows. */
export type OnRows = (file: string, rows: number) => void;

/**
 * Reads the header, finds the columns, then hands every data record to the row reader the
 * columns make.
 */
async function load<F extends string, T extends { count: number }>(
  file: string,
  read: CsvReadOptions,
  specs: readonly ColumnSpec<F>[],
  explicit: Partial<Record<F, string>>,
  onRows: OnRows,
  reader: (header: readonly string[], at: (f: F) => ColumnAt | undefined) => { table: T; add(r: RawRecord): void },
): Promise<Loaded<T>> {
  let rows: ReturnType<typeof reader> | undefined;
  const stats = await scanCsv(file, read, (r) => {
    if (rows) {
      rows.add(r);
      if ((rows.table.count & 0xffff) === 0) onRows(file, rows.table.count);
      return;
    }
    const header = r.fields().map((f) => f.trim());
    const columns: ColumnIndexes<F> = resolveColumns(header, specs, explicit, { file, line: r.line });
    rows = reader(header, (f) => (columns[f] === undefined ? undefined : { index: columns[f]!, name: header[columns[f]!] }));
  });
  if (!rows) throw new IdreconError('INPUT_EMPTY', 'the file has no header line; expected a CSV export with column names on the first line', { file });
  return { file, table: rows.table, stats };
}

export function loadOnprem(
  file: string,
  read: CsvReadOptions,
  explicit: Partial<Record<OnpremField, string>>,
  opts: OnpremOptions,
  onRows: OnRows,
): Promise<Loaded<OnpremTable>> {
  return load(file, read, onpremColumns(opts.sourceAnchor), explicit, onRows, (header, at) => {
    const columns = { upn: at('upn')!, objectGuid: at('objectGuid'), consistencyGuid: at('consistencyGuid') };
    return new OnpremRows(new OnpremTable(), file, header.length, columns, opts);
  });
}

export function loadCloud(file: string, read: CsvReadOptions, explicit: Partial<Record<CloudField, string>>, onRows: OnRows): Promise<Loaded<CloudTable>> {
  return load(file, read, CLOUD_COLUMNS, explicit, onRows, (header, at) => {
    const columns = { upn: at('upn')!, objectId: at('objectId'), immutableId: at('immutableId')!, syncEnabled: at('syncEnabled') };
    return new CloudRows(new CloudTable(), file, header.length, columns);
  });
}
