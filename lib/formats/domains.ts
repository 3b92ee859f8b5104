/**
 * The domains file: what `export cloud --domains-out` writes (Graph's /domains), what plan and
 * reconcile read to know the federated domains and the initial one, and the local tenant's
 * --domains seed. docs/export.md.
 */
import { IdreconError } from '../errors';
import type { ColumnSpec } from '../io/columns';
import { CsvWriter } from '../io/csv-writer';
import { readTrimmedTable } from '../io/table';
import { parseBool } from './cloud-users';

export interface Domain {
  id: string;
  authenticationType: 'Managed' | 'Federated';
  isInitial: boolean;
  isVerified: boolean;
}

export const DOMAIN_CSV_COLUMNS = ['id', 'authenticationType', 'isInitial', 'isVerified'] as const;

type DomainField = (typeof DOMAIN_CSV_COLUMNS)[number];

export const domainsWriter = (path: string): CsvWriter => new CsvWriter(path, DOMAIN_CSV_COLUMNS);

export function domainFields(d: Domain): string[] {
  return [d.id, d.authenticationType, d.isInitial ? 'True' : 'False', d.isVerified ? 'True' : 'False'];
}

const domainSpec = <F extends string>(field: F, aliases: string[], required: boolean): ColumnSpec<F> => ({
  field,
  label: field,
  aliases,
  required,
  expected: 'a domains export (idrecon export cloud --domains-out)',
});

const DOMAIN_SPECS = [
  domainSpec<DomainField>('id', ['id', 'Name'], true),
  domainSpec<DomainField>('authenticationType', ['authenticationType'], true),
  domainSpec<DomainField>('isInitial', ['isInitial'], false),
  domainSpec<DomainField>('isVerified', ['isVerified'], false),
];

/** Reads a domains file whole, every value checked (the local tenant's seed). */
export async function readDomainList(file: string): Promise<Domain[]> {
  const domains: Domain[] = [];
  for await (const { line, cell } of readTrimmedTable(file, DOMAIN_SPECS)) {
    const type = cell('authenticationType').toLowerCase();
    if (type !== 'managed' && type !== 'federated') {
      throw new IdreconError('INPUT_VALUE', `expected Managed or Federated, got '${cell('authenticationType')}'`, { file, line, column: 'authenticationType' });
    }
    domains.push({
      id: cell('id'),
      authenticationType: type === 'managed' ? 'Managed' : 'Federated',
      isInitial: parseBool(cell('isInitial'), { file, line, column: 'isInitial' }, false) as boolean,
      isVerified: parseBool(cell('isVerified'), { file, line, column: 'isVerified' }, true) as boolean,
    });
  }
  return domains;
}
