/**
 * Streams an export file into its table, one row per data record, holding only the few fields
 * classification needs (memory grows with rows, never with the file's other columns).
 */
import { stat } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { type ErrorContext, IdreconError, type IdreconErrorCode } from '../errors';
import type { Indexes } from '../core/classify';
import { type ColumnAt, CloudRows, type OnpremOptions, OnpremRows } from '../core/records';
import { AddressList, Arena, CloudTable, GuidIndex, KeyIndex, OnpremTable, cloudIndexes, onpremIndexes } from '../core/tables';
import { type ColumnIndexes, type ColumnSpec, hasColumn, resolveColumns } from '../io/columns';
import { type CsvReadOptions, type CsvStats, RawRecord, readCsv, scanCsv } from '../io/csv-reader';
import { ONPREM_CSV_COLUMNS, onpremRow } from '../formats/onprem-users';
import { isLdifFile, scanLdif } from '../io/ldif';
import { takeSideThread } from './side-thread';

export type OnpremField = 'upn' | 'objectGuid' | 'consistencyGuid' | 'mail' | 'proxyAddresses' | 'critical';
export type CloudField =
  | 'upn'
  | 'objectId'
  | 'immutableId'
  | 'syncEnabled'
  | 'mail'
  | 'proxyAddresses'
  | 'directoryRoles'
  | 'privilegedRole'
  | 'objectIdentifier'
  | 'provisioningErrors';

/** Optional columns found by their own name only (any case), as the exports write them. */
const optional = <F extends string>(field: F, label: string): ColumnSpec<F> => ({ field, label, aliases: [label], required: false, expected: `at most one ${label} column` });

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
    optional('mail', 'mail'),
    optional('proxyAddresses', 'proxyAddresses'),
    optional('critical', 'isCriticalSystemObject'),
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
  optional('mail', 'mail'),
  optional('proxyAddresses', 'proxyAddresses'),
  optional('directoryRoles', 'directoryRoles'),
  optional('privilegedRole', 'privilegedRole'),
  optional('objectIdentifier', 'onPremisesObjectIdentifier'),
  optional('provisioningErrors', 'onPremisesProvisioningErrors'),
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
  scan: (visit: (r: RawRecord) => void) => Promise<CsvStats>,
  specs: readonly ColumnSpec<F>[],
  explicit: Partial<Record<F, string>>,
  onRows: OnRows,
  reader: (header: readonly string[], at: (f: F) => ColumnAt | undefined, size: number) => { table: T; add(r: RawRecord): void },
): Promise<Loaded<T>> {
  let rows: ReturnType<typeof reader> | undefined;
  // The file's size sizes its table (Table.expect); a file that cannot be stat-ed fails in the scan, with its message.
  const size = await stat(file).then((s) => s.size, () => 0);
  const stats = await scan((r) => {
    if (rows) {
      rows.add(r);
      if ((rows.table.count & 0xffff) === 0) onRows(file, rows.table.count);
      return;
    }
    const header = r.fields().map((f) => f.trim());
    const columns: ColumnIndexes<F> = resolveColumns(header, specs, explicit, { file, line: r.line });
    rows = reader(header, (f) => (columns[f] === undefined ? undefined : { index: columns[f]!, name: header[columns[f]!] }), size);
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
  keepAddresses = true,
): Promise<Loaded<OnpremTable>> {
  return load(file, (visit) => scanOnprem(file, read, visit), onpremColumns(opts.sourceAnchor), explicit, onRows, (header, at, size) => {
    const columns = {
      upn: at('upn')!,
      objectGuid: at('objectGuid'),
      consistencyGuid: at('consistencyGuid'),
      mail: at('mail'),
      proxyAddresses: at('proxyAddresses'),
      critical: at('critical'),
    };
    return new OnpremRows(new OnpremTable().expect(size), file, header.length, columns, opts, keepAddresses);
  });
}

export function loadCloud(
  file: string,
  read: CsvReadOptions,
  explicit: Partial<Record<CloudField, string>>,
  onRows: OnRows,
  keepAddresses = true,
): Promise<Loaded<CloudTable>> {
  return load(file, (visit) => scanCsv(file, read, visit), CLOUD_COLUMNS, explicit, onRows, (header, at, size) => {
    const columns = {
      upn: at('upn')!,
      objectId: at('objectId'),
      immutableId: at('immutableId')!,
      syncEnabled: at('syncEnabled'),
      mail: at('mail'),
      proxyAddresses: at('proxyAddresses'),
      directoryRoles: at('directoryRoles'),
      privilegedRole: at('privilegedRole'),
      objectIdentifier: at('objectIdentifier'),
      provisioningErrors: at('provisioningErrors'),
    };
    return new CloudRows(new CloudTable().expect(size), file, header.length, columns, keepAddresses);
  });
}

/** A record of the given texts, as the CSV reader would have made it from a line. */
function recordOf(fields: readonly string[], line: number, rec = new RawRecord()): RawRecord {
  const bytes = fields.map((f) => Buffer.from(f, 'utf8'));
  while (rec.starts.length < fields.length) rec.grow();
  let at = 0;
  bytes.forEach((b, i) => {
    rec.starts[i] = at;
    rec.ends[i] = at += b.length;
    rec.escaped[i] = 0;
  });
  rec.buf = Buffer.concat(bytes);
  rec.count = fields.length;
  rec.line = line;
  return rec;
}

/**
 * An on-prem file is CSV or LDIF, told apart by its content. An LDIF entry becomes the row
 * `export onprem` would have written for it (header first), so both go through the same reader.
 */
async function scanOnprem(file: string, read: CsvReadOptions, visit: (r: RawRecord) => void): Promise<CsvStats> {
  if (!(await isLdifFile(file, read.encoding))) return scanCsv(file, read, visit);
  const rec = recordOf(ONPREM_CSV_COLUMNS, 0);
  visit(rec);
  const stats = await scanLdif(file, read.encoding, (entry) => visit(recordOf(onpremRow(entry), entry.line, rec)));
  return { encoding: stats.encoding, delimiter: 'ldif', blankRows: 0 };
}

/** What to read: one side of the reconciliation, with its column names and options; `keepAddresses`: see OnpremRows. */
export type LoadRequest =
  | { kind: 'onprem'; file: string; read: CsvReadOptions; explicit: Partial<Record<OnpremField, string>>; opts: OnpremOptions; keepAddresses: boolean }
  | { kind: 'cloud'; file: string; read: CsvReadOptions; explicit: Partial<Record<CloudField, string>>; keepAddresses: boolean };

/**
 * Whether the export has a mail or proxyAddresses column (any case, as they are found), from its
 * header alone: an LDIF file has them (export onprem's columns). Addresses are kept only when
 * both exports have them, since only then does soft match read them; a cloud export's mail
 * column is a quarter of its text.
 */
export async function hasAddressColumns(file: string, read: CsvReadOptions): Promise<boolean> {
  if (await isLdifFile(file, read.encoding)) return true;
  for await (const header of readCsv(file, { ...read, chunkBytes: 1 << 16 })) {
    return ADDRESS_COLUMNS.some((spec) => hasColumn(header.fields, spec));
  }
  return false;
}

/** The mail and proxyAddresses columns, found by the same names in both exports. */
const ADDRESS_COLUMNS = CLOUD_COLUMNS.filter((c) => c.field === 'mail' || c.field === 'proxyAddresses');

export type Side =
  | { kind: 'onprem'; loaded: Loaded<OnpremTable>; indexes: Indexes['onprem'] }
  | { kind: 'cloud'; loaded: Loaded<CloudTable>; indexes: Indexes['cloud'] };

/** Reads one side in this thread: its table, then its join indexes. */
export async function loadSide(req: LoadRequest, onRows: OnRows): Promise<Side> {
  if (req.kind === 'onprem') {
    const loaded = await loadOnprem(req.file, req.read, req.explicit, req.opts, onRows, req.keepAddresses);
    return { kind: 'onprem', loaded, indexes: onpremIndexes(loaded.table) };
  }
  const loaded = await loadCloud(req.file, req.read, req.explicit, onRows, req.keepAddresses);
  return { kind: 'cloud', loaded, indexes: cloudIndexes(loaded.table) };
}

export type WorkerMessage =
  | { type: 'rows'; file: string; rows: number }
  | { type: 'done'; side: Side }
  | { type: 'error'; code: IdreconErrorCode; message: string; context: ErrorContext }
  | { type: 'crash'; message: string };

/** A table and its indexes as another thread receives them (plain objects): their classes given back. */
function reviveTable(table: OnpremTable | CloudTable, prototype: object, byUpn: KeyIndex, byGuid: GuidIndex): void {
  Object.setPrototypeOf(table, prototype);
  Object.setPrototypeOf(table.arena, Arena.prototype);
  Object.setPrototypeOf(byUpn, KeyIndex.prototype);
  Object.setPrototypeOf(byGuid, GuidIndex.prototype);
}

function revive(side: Side): Side {
  if (side.kind === 'onprem') reviveTable(side.loaded.table, OnpremTable.prototype, side.indexes.byUpn, side.indexes.byAnchor);
  else reviveTable(side.loaded.table, CloudTable.prototype, side.indexes.byUpn, side.indexes.byId);
  return side;
}

/** Both tables and their indexes, posted to another thread. */
export function reviveTables(on: OnpremTable, cl: CloudTable, indexes: Indexes): void {
  reviveTable(on, OnpremTable.prototype, indexes.onprem.byUpn, indexes.onprem.byAnchor);
  reviveTable(cl, CloudTable.prototype, indexes.cloud.byUpn, indexes.cloud.byId);
  const { addresses } = indexes.cloud;
  for (const list of addresses ? [addresses.primary, addresses.all] : []) {
    Object.setPrototypeOf(list, AddressList.prototype);
    Object.setPrototypeOf(list.arena, Arena.prototype);
    Object.setPrototypeOf(list.index, KeyIndex.prototype);
  }
}

/**
 * Reads the on-prem side in a worker thread (side-worker.ts), which stays, unreferenced, for
 * rows.ts to give the rows it takes: `thread` is it, once the side is read.
 */
function loadInWorker(req: Extract<LoadRequest, { kind: 'onprem' }>, onRows: OnRows, worker: Worker): Promise<Extract<Side, { kind: 'onprem' }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: WorkerMessage) => {
      if (m.type === 'rows') onRows(m.file, m.rows);
      else if (m.type === 'done') {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        worker.off('error', reject);
        resolve(revive(m.side) as Extract<Side, { kind: 'onprem' }>);
      } else if (m.type === 'error') reject(new IdreconError(m.code, m.message, m.context));
      else reject(new Error(m.message));
    };
    const onExit = (code: number) => reject(new Error(`the worker reading ${req.file} stopped (exit ${code})`));
    worker.on('message', onMessage);
    worker.on('error', reject);
    worker.on('exit', onExit);
  });
}

export interface LoadedBoth {
  onprem: Loaded<OnpremTable>;
  cloud: Loaded<CloudTable>;
  indexes: Indexes;
  /** The thread that read the on-prem side, waiting to take rows (rows.ts); whoever holds it terminates it. */
  thread?: Worker;
}

/**
 * Reads both sides: with `threads` > 1 the on-prem side in a worker thread while this thread
 * reads the cloud side, so the two files are parsed on two cores, else one after the other in
 * this thread. Either way the tables, indexes and so the output are the same.
 */
export async function loadBoth(
  onprem: Extract<LoadRequest, { kind: 'onprem' }>,
  cloud: Extract<LoadRequest, { kind: 'cloud' }>,
  threads: number,
  onRows: OnRows,
): Promise<LoadedBoth> {
  if (threads < 2) {
    const [on, cl] = (await Promise.all([loadSide(onprem, onRows), loadSide(cloud, onRows)])) as [Extract<Side, { kind: 'onprem' }>, Extract<Side, { kind: 'cloud' }>];
    return { onprem: on.loaded, cloud: cl.loaded, indexes: { onprem: on.indexes, cloud: cl.indexes } };
  }
  const thread = takeSideThread();
  thread.postMessage(onprem);
  // A failure on one side stops the other: this thread's reading at its next progress report.
  let failed: unknown;
  const stopOnFailure = <T>(p: Promise<T>) => p.catch((err: unknown) => Promise.reject((failed ??= err)));
  try {
    const [on, cl] = await Promise.all([
      stopOnFailure(loadInWorker(onprem, onRows, thread)),
      stopOnFailure(
        loadSide(cloud, (file, rows) => {
          if (failed) throw failed;
          onRows(file, rows);
        }) as Promise<Extract<Side, { kind: 'cloud' }>>,
      ),
    ]);
    // Until rows.ts gives it work, the thread must not keep the process alive.
    thread.unref();
    return { onprem: on.loaded, cloud: cl.loaded, indexes: { onprem: on.indexes, cloud: cl.indexes }, thread };
  } catch (err) {
    await thread.terminate();
    throw err;
  }
}
