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

/** What plan and reconcile need of the domains: which are federated, which is initial. */
export interface Domains {
  federated: Set<string>;
  initial: string | undefined;
}

const PLAN_DOMAIN_COLUMNS: ColumnSpec<'id' | 'authenticationType' | 'isInitial'>[] = [
  { field: 'id', label: 'domain name', aliases: ['id', 'Name', 'DomainName'], required: true, expected: 'a domains export (idrecon export cloud --domains-out)' },
  { field: 'authenticationType', label: 'authenticationType', aliases: ['authenticationType', 'Authentication'], required: true, expected: 'a domains export (idrecon export cloud --domains-out)' },
  { field: 'isInitial', label: 'isInitial', aliases: ['isInitial'], required: true, expected: 'a domains export (idrecon export cloud --domains-out)' },
];

export async function readDomains(file: string): Promise<Domains> {
  const domains: Domains = { federated: new Set(), initial: undefined };
  for await (const { cell } of readTrimmedTable(file, PLAN_DOMAIN_COLUMNS)) {
    const name = cell('id').toLowerCase();
    if (cell('authenticationType').toLowerCase() === 'federated') domains.federated.add(name);
    if (cell('isInitial').toLowerCase() === 'true') domains.initial = name;
  }
  return domains;
}
