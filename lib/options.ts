/**
 * Options are declared once (declare(): kind, zod schema, description), which gives both the help
 * text (helpOf(), with each default taken from the schema) and the checked, typed Args
 * (shapeOf()). Options are parsed once: yargs splits the command line, the command's zod schema
 * turns the result into its Args with defaults filled, and any problem becomes one USAGE error
 * worded "--option: expected X, got Y".
 */
import type { Options } from 'yargs';
import { z } from 'zod';
import { IdreconError } from './errors';

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

export interface Command<A> {
  name: string;
  /** Positional part of the yargs command string, e.g. '<values...>'. */
  positionals?: string;
  summary: string;
  usage: string;
  options: Record<string, Options>;
  schema: z.ZodType<A>;
  run(args: A, io: CommandIo): Promise<number>;
}

/** How yargs splits the option; 'strings' is a repeatable string option. */
type Kind = 'string' | 'strings' | 'boolean' | 'number';

/** One option: how yargs splits it, how it is checked (and its default), what help says of it. */
export interface Declared<T extends z.ZodType = z.ZodType> {
  kind: Kind;
  schema: T;
  describe: string;
  /** Help's words for a default the schema cannot show (computed at run time, or not a plain value). */
  defaultText?: string;
}

export const declare = <T extends z.ZodType>(kind: Kind, schema: T, describe: string, defaultText?: string): Declared<T> => ({ kind, schema, describe, defaultText });

export type Declaration = Record<string, Declared>;

/** The schema's default, if it has one a reader can be shown (a transform keeps the value it starts from). */
function defaultOf(schema: z.ZodType): unknown {
  const def = schema.def as { type: string; defaultValue?: unknown; in?: z.ZodType };
  if (def.type === 'default') return def.defaultValue;
  if (def.type === 'pipe' && def.in) return defaultOf(def.in);
  return undefined;
}

/** The yargs options of a declaration, for help: --kebab-case names, each default from its schema. */
export function helpOf(decl: Declaration): Record<string, Options> {
  return Object.fromEntries(
    Object.entries(decl).map(([key, d]) => {
      const value = defaultOf(d.schema);
      const shown = d.defaultText ?? (value === undefined || value === false || typeof value === 'object' ? undefined : String(value));
      const describe = shown === undefined ? d.describe : `${d.describe} (default ${shown})`;
      return [kebab(key), d.kind === 'strings' ? { type: 'string', array: true, describe } : { type: d.kind, describe }];
    }),
  );
}

/** The zod shape of a declaration, for z.object(). */
export function shapeOf<D extends Declaration>(decl: D): { [K in keyof D]: D[K]['schema'] } {
  return Object.fromEntries(Object.entries(decl).map(([key, d]) => [key, d.schema])) as { [K in keyof D]: D[K]['schema'] };
}

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The text given on the command line after --name (yargs keeps only the converted value). */
function given(argv: readonly string[], name: string): string[] {
  const values: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === name && i + 1 < argv.length) values.push(argv[i + 1]);
    else if (arg.startsWith(`${name}=`)) values.push(arg.slice(name.length + 1));
  });
  return values;
}

/** What the admin typed, in words: never JSON, never null. */
function describeInput(input: unknown, typed: string[]): string {
  if (typeof input === 'number' && Number.isNaN(input)) return typed.length ? `'${typed[typed.length - 1]}'` : 'nothing';
  if (input === undefined || input === null || input === '' || (Array.isArray(input) && input.length === 0)) return 'nothing';
  if (typeof input === 'number' || typeof input === 'boolean') return String(input);
  if (Array.isArray(input)) return `${input.map((v) => describeInput(v, [])).join(' and ')} (the option was given ${input.length} times)`;
  return `'${String(input)}'`;
}

/** zod's wording of a choice ('one of "a"|"b"') as a list an admin reads: 'a, b or c'. */
function expectedOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value' && issue.values.length > 0 && /^Invalid option/.test(issue.message)) {
    const names = issue.values.map((v) => (/^\w[\w-]*$/.test(String(v)) ? String(v) : `'${String(v)}'`));
    return `expected ${names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0]}`;
  }
  // zod's "Too small: expected ..." loses its prefix; a URL in our own wording (ldaps://) keeps its colon.
  return issue.message.replace(/^[^:]*:\s*(?!\/\/)/, '');
}

/**
 * `positionals` are named as written in usage (<values>), options as --kebab-case; `argv` is the
 * command line, to quote what was typed where yargs converted it (a number that is not one).
 */
export function parseArgs<A>(schema: z.ZodType<A>, raw: Record<string, unknown>, positionals: readonly string[] = [], argv: readonly string[] = []): A {
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue.path.length ? String(issue.path[0]) : undefined;
  const name = key === undefined ? 'options' : positionals.includes(key) ? `<${key}>` : `--${kebab(key)}`;
  throw new IdreconError('USAGE', `${name}: ${expectedOf(issue)}, got ${describeInput(issue.input, given(argv, name))}`);
}

/** A comma-separated option ("a,b" or repeated) as a list of allowed values. */
export function listOf<T extends string>(allowed: readonly T[]) {
  return z.preprocess(
    (v) => (v === undefined ? [] : [v].flat().flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean)),
    z.array(z.enum(allowed as [T, ...T[]], { error: `expected a comma-separated list of ${allowed.join(', ')}` })),
  );
}
