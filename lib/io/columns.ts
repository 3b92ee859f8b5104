/**
 * Finds the columns a command needs among a file's headers: by name given on the command line,
 * else by the aliases real exports use, compared without case, spaces, dashes or underscores.
 */
import { IdreconError } from '../errors';

export interface ColumnSpec<F extends string> {
  field: F;
  /** What the column is, in an admin's words, for messages. */
  label: string;
  aliases: readonly string[];
  required: boolean;
  /** The command-line option that names the column explicitly, where there is one. */
  option?: string;
  /** Otherwise, what the file is expected to be, for messages. */
  expected?: string;
}

export type ColumnIndexes<F extends string> = Record<F, number | undefined>;

const normalise = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A header (normalised) is one of the spec's aliases. */
const isAlias = (spec: ColumnSpec<string>, name: string): boolean => spec.aliases.some((a) => normalise(a) === name);

/** Whether the header has a column the spec would find by its aliases, as resolveColumns finds it. */
export function hasColumn(header: readonly string[], spec: ColumnSpec<string>): boolean {
  return header.some((h) => isAlias(spec, normalise(h)));
}

export function resolveColumns<F extends string>(
  header: readonly string[],
  specs: readonly ColumnSpec<F>[],
  explicit: Partial<Record<F, string>>,
  where: { file: string; line: number },
): ColumnIndexes<F> {
  const names = header.map(normalise);
  const found = `headers found: ${header.map((h) => `'${h}'`).join(', ')}`;
  const indexes = {} as ColumnIndexes<F>;
  for (const spec of specs) {
    const given = explicit[spec.field];
    if (given !== undefined) {
      const i = names.indexOf(normalise(given));
      if (i < 0) throw new IdreconError('INPUT_MISSING_COLUMN', `no column named '${given}' (given with ${spec.option}); ${found}`, where);
      indexes[spec.field] = i;
      continue;
    }
    const matches = names.flatMap((n, i) => (isAlias(spec, n) ? [i] : []));
    if (matches.length > 1) {
      const both = matches.map((i) => `'${header[i]}'`).join(' and ');
      const fix = spec.option ? `name one with ${spec.option}` : `keep one of them (expected ${spec.expected})`;
      throw new IdreconError('INPUT_AMBIGUOUS_COLUMN', `columns ${both} both look like the ${spec.label} column; ${fix}`, where);
    }
    if (matches.length === 0 && spec.required) {
      const fix = spec.option ? `name it with ${spec.option}` : `expected ${spec.expected}`;
      throw new IdreconError('INPUT_MISSING_COLUMN', `no ${spec.label} column (looked for ${spec.aliases.join(', ')}); ${found}; ${fix}`, where);
    }
    indexes[spec.field] = matches[0];
  }
  return indexes;
}
