/**
 * Streams an export file into classification records, one per data row, holding only the few
 * fields classification needs (memory grows with rows, never with the file's other columns).
 */
import { type CloudCells, type OnpremCells, type OnpremOptions, type RowShape, cloudRecord, onpremRecord } from '../core/records';
import type { CloudRecord, OnpremRecord } from '../core/classify';
import type { ColumnSpec } from '../io/columns';
import type { CsvReadOptions, CsvStats } from '../io/csv-reader';
import type { Progress } from '../io/progress';
import { readTable } from '../io/table';

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

export interface Loaded<R> {
  file: string;
  records: R[];
  stats: CsvStats;
}

async function loadTable<F extends string, R>(
  file: string,
  read: CsvReadOptions,
  specs: readonly ColumnSpec<F>[],
  explicit: Partial<Record<F, string>>,
  progress: Progress,
  build: (cells: Partial<Record<F, { column: string; value: string }>>, shape: RowShape) => R,
): Promise<Loaded<R>> {
  const stats: Partial<CsvStats> = {};
  const records: R[] = [];
  for await (const { line, fields, header, columns } of readTable(file, read, specs, explicit, stats)) {
    const cells: Partial<Record<F, { column: string; value: string }>> = {};
    for (const spec of specs) {
      const i = columns[spec.field];
      if (i !== undefined) cells[spec.field] = { column: header[i], value: fields[i] ?? '' };
    }
    const shape = { file, line, fieldCount: fields.length, headerCount: header.length, extra: fields.slice(header.length) };
    records.push(build(cells, shape));
    progress.tick(file, records.length);
  }
  return { file, records, stats: stats as CsvStats };
}

export function loadOnprem(
  file: string,
  read: CsvReadOptions,
  explicit: Partial<Record<OnpremField, string>>,
  opts: OnpremOptions,
  progress: Progress,
): Promise<Loaded<OnpremRecord>> {
  return loadTable(file, read, onpremColumns(opts.sourceAnchor), explicit, progress, (cells, shape) =>
    onpremRecord(cells as OnpremCells, shape, opts),
  );
}

export function loadCloud(file: string, read: CsvReadOptions, explicit: Partial<Record<CloudField, string>>, progress: Progress): Promise<Loaded<CloudRecord>> {
  return loadTable(file, read, CLOUD_COLUMNS, explicit, progress, (cells, shape) => cloudRecord(cells as CloudCells, shape));
}
