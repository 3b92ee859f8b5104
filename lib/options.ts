/**
 * Options are parsed once: yargs splits the command line, a command's zod schema turns the
 * result into its typed Args with defaults filled, and any problem becomes one USAGE error
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

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function describeInput(input: unknown): string {
  if (input === undefined || (Array.isArray(input) && input.length === 0)) return 'nothing';
  if (typeof input === 'string') return `'${input}'`;
  return JSON.stringify(input);
}

/** `positionals` are named as written in usage (<values>), options as --kebab-case. */
export function parseArgs<A>(schema: z.ZodType<A>, raw: Record<string, unknown>, positionals: readonly string[] = []): A {
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue.path.length ? String(issue.path[0]) : undefined;
  const name = key === undefined ? 'options' : positionals.includes(key) ? `<${key}>` : `--${kebab(key)}`;
  const expected = issue.message.replace(/^[^:]*:\s*/, '');
  throw new IdreconError('USAGE', `${name}: ${expected}, got ${describeInput(issue.input)}`);
}

/** A comma-separated option ("a,b" or repeated) as a list of allowed values. */
export function listOf<T extends string>(allowed: readonly T[]) {
  return z.preprocess(
    (v) => (v === undefined ? [] : [v].flat().flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean)),
    z.array(z.enum(allowed as [T, ...T[]], { error: `expected a comma-separated list of ${allowed.join(', ')}` })),
  );
}
