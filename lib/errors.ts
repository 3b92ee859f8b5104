/**
 * Every error idrecon reports on purpose is an IdreconError with a code from this closed list.
 * lib/cli.ts is the one place that turns them into a message and an exit code.
 */
export type IdreconErrorCode =
  | 'USAGE' // bad command line
  | 'INPUT_NOT_FOUND' // a named input file does not exist or cannot be read
  | 'INPUT_ENCODING' // bytes that are not text in the expected encoding
  | 'INPUT_QUOTING' // CSV structure broken (unclosed or stray quotes)
  | 'INPUT_FORMAT' // not the kind of file expected (LDIF where CSV is read), or broken LDIF
  | 'INPUT_EMPTY' // no header line
  | 'INPUT_MISSING_COLUMN' // a required column is not among the headers
  | 'INPUT_AMBIGUOUS_COLUMN' // two headers claim the same field
  | 'INPUT_AMBIGUOUS_HEX' // bare 32-hex-digit GUID without --hex-order
  | 'INPUT_VALUE' // a value (on the command line, or a file it names) is not understood
  | 'OUTPUT_WRITE' // an output file could not be written
  | 'GATE_FAILED' // --fail-on matched rows
  | 'AUTH_FAILED' // no token: the credentials were refused, or the login endpoint was unreachable
  | 'GRAPH_ERROR' // Graph answered with an error, or kept failing after every retry
  | 'OKTA_ERROR' // Okta's API answered with an error, or kept failing after every retry
  | 'LDAP_ERROR' // the domain controller refused the bind or the certificate, could not be reached, or kept failing
  | 'SERVER_START'; // the local tenant could not listen (port taken, bad address)

export interface ErrorContext {
  file?: string;
  line?: number;
  column?: string;
  value?: string;
}

export class IdreconError extends Error {
  readonly code: IdreconErrorCode;
  readonly context: ErrorContext;

  constructor(code: IdreconErrorCode, message: string, context: ErrorContext = {}) {
    super(message);
    this.name = 'IdreconError';
    this.code = code;
    this.context = context;
  }
}

/** Documented in docs/exit-codes.md. */
export const EXIT = { ok: 0, unexpected: 1, usage: 2, gate: 3, remote: 4 } as const;

/** Failures of the tenant or the network get their own code: a script can retry those, not bad input. */
const REMOTE: readonly IdreconErrorCode[] = ['AUTH_FAILED', 'GRAPH_ERROR', 'OKTA_ERROR', 'LDAP_ERROR'];

export function exitCodeFor(code: IdreconErrorCode): number {
  if (code === 'GATE_FAILED') return EXIT.gate;
  return REMOTE.includes(code) ? EXIT.remote : EXIT.usage;
}

/** "file line N, column C: message" so an admin can open the file at the right place. */
export function formatError(err: IdreconError): string {
  const { file, line, column } = err.context;
  const where = [file, line !== undefined ? `line ${line}` : undefined, column !== undefined ? `column ${column}` : undefined]
    .filter((part) => part !== undefined)
    .join(', ');
  return where ? `${where}: ${err.message}` : err.message;
}
