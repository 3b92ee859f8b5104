/**
 * The one CSV reader: bytes on disk to records with the line each starts on. It owns everything
 * about how exports are written: byte order marks and UTF-16 (PowerShell `>`), invalid UTF-8,
 * the `#TYPE` line of Windows PowerShell 5.1, `,` `;` or tab delimiters, blank rows, and turns
 * broken quoting into an error that names the line. Parsing itself is csv-parse.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { IdreconError } from '../errors';

export const ENCODINGS = ['auto', 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];
export type Delimiter = 'auto' | ',' | ';' | '\t';

export interface CsvReadOptions {
  encoding: Encoding;
  delimiter: Delimiter;
}

export interface CsvRecord {
  /** Line of the file the record starts on, counting from 1 (the #TYPE line included). */
  line: number;
  fields: string[];
}

export interface CsvStats {
  encoding: Exclude<Encoding, 'auto'>;
  delimiter: Exclude<Delimiter, 'auto'>;
  /** Records whose every field is empty (Excel's trailing rows, `,,,` lines); never data. */
  blankRows: number;
}

const SNIFF_BYTES = 64 * 1024;

interface Sniffed {
  encoding: Exclude<Encoding, 'auto'>;
  delimiter: Exclude<Delimiter, 'auto'>;
  /** The first line is PowerShell 5.1's #TYPE line. */
  typeLine: boolean;
}

async function sniff(file: string, opts: CsvReadOptions): Promise<Sniffed> {
  let sample: Buffer;
  try {
    const handle = await open(file, 'r');
    try {
      const buf = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
      sample = buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new IdreconError('INPUT_NOT_FOUND', `cannot read the file (${reason}); check the path`, { file });
  }
  const encoding = opts.encoding === 'auto' ? detectEncoding(sample, file) : opts.encoding;
  const [first = '', ...rest] = new TextDecoder(encoding).decode(sample).split(/\r?\n/, 50);
  const typeLine = isTypeLine(first);
  // Blank rows are skipped before the header as after it, so they must not decide the delimiter.
  const header = [...(typeLine ? [] : [first]), ...rest].find((l) => !isBlank(l.replace(/"/g, '').split(/[,;\t]/))) ?? '';
  return { encoding, delimiter: opts.delimiter === 'auto' ? sniffDelimiter(header) : opts.delimiter, typeLine };
}

function detectEncoding(sample: Buffer, file: string): Exclude<Encoding, 'auto'> {
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  const nuls = sample.subarray(0, 4096).filter((b) => b === 0).length;
  if (nuls > 0 && nuls * 4 >= Math.min(sample.length, 4096)) {
    throw new IdreconError(
      'INPUT_ENCODING',
      'looks like UTF-16 text without a byte order mark; re-save it as UTF-8, or run again with --encoding utf-16le (or utf-16be)',
      { file, line: 1 },
    );
  }
  return 'utf-8';
}

/** A row of empty or space-only fields (a blank line, or Excel's `,,,`) carries no data. */
function isBlank(fields: readonly string[]): boolean {
  return fields.every((f) => f.trim() === '');
}

function isTypeLine(s: string): boolean {
  return s.startsWith('#TYPE ');
}

/** The candidate that occurs most often outside quotes in the header line; `,` on a tie. */
function sniffDelimiter(line: string): Exclude<Delimiter, 'auto'> {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[',']) return '\t';
  return ',';
}

/** Decodes bytes to text; invalid bytes are an error naming the line they are on. */
async function* decode(file: string, encoding: Exclude<Encoding, 'auto'>): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let newlinesBefore = 0;
  try {
    for await (const chunk of createReadStream(file)) {
      const buf = chunk as Buffer;
      let text: string;
      try {
        text = decoder.decode(buf, { stream: true });
      } catch {
        const at = encoding === 'utf-8' ? firstInvalidUtf8(buf) : buf.length;
        const line = newlinesBefore + countNewlines(buf.subarray(0, at)) + 1;
        const byte = at < buf.length ? ` (byte 0x${buf[at].toString(16).toUpperCase().padStart(2, '0')})` : '';
        throw new IdreconError(
          'INPUT_ENCODING',
          `is not valid ${encoding.toUpperCase()}${byte}; it was probably saved in a Windows code page: re-save it as UTF-8 (Export-Csv -Encoding UTF8), or run again with --encoding windows-1252`,
          { file, line },
        );
      }
      newlinesBefore += countNewlines(buf);
      if (text) yield text;
    }
  } catch (err) {
    if (err instanceof IdreconError) throw err;
    throw new IdreconError('INPUT_NOT_FOUND', `cannot read the file (${(err as Error).message})`, { file });
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

function countNewlines(buf: Uint8Array): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** Offset of the first byte that cannot start or continue a UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n && i + k < b.length; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return b.length;
}

/**
 * Line breaks inside a record's fields (CRLF, CR or LF each count one, as an editor shows them),
 * and how many were CRLF: csv-parse 7.0.3's own line count, used only in its error messages,
 * counts both halves of a CRLF inside a quoted field, so errors are corrected by that many.
 */
function lineBreaksIn(fields: string[]): { breaks: number; crlf: number } {
  let breaks = 0;
  let crlf = 0;
  for (const f of fields) {
    if (f.indexOf('\n') === -1 && f.indexOf('\r') === -1) continue;
    for (let i = 0; i < f.length; i++) {
      const c = f.charCodeAt(i);
      if (c === 0x0d && f.charCodeAt(i + 1) === 0x0a) {
        crlf++;
        i++;
      }
      if (c === 0x0d || c === 0x0a) breaks++;
    }
  }
  return { breaks, crlf };
}

const QUOTING_HINT =
  'a field that contains the delimiter, a double quote or a line break must be enclosed in double quotes, with quotes inside it doubled ("")';

/**
 * An unclosed quote is only found at the end of the file, so csv-parse names the last line;
 * the record it opened starts at `recordLine`, the line after the last complete record.
 */
function quotingError(err: CsvError, file: string, recordLine: number, extraLines: number): IdreconError {
  const what: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: 'a quoted field starts on this line and is never closed',
    CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by more text',
    INVALID_OPENING_QUOTE: 'a double quote appears inside a field that is not quoted',
    CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a closing quote is followed by more text',
  };
  const lines = (err as CsvError & { lines?: number }).lines;
  const line = err.code === 'CSV_QUOTE_NOT_CLOSED' || lines === undefined ? recordLine : lines - extraLines;
  return new IdreconError('INPUT_QUOTING', `broken CSV quoting: ${what[err.code] ?? err.message}; ${QUOTING_HINT}`, { file, line });
}

/**
 * Streams the records of a CSV file, header first, each with the line it starts on. Skips the
 * #TYPE line, and blank lines and rows whose every field is empty or spaces (counted in
 * `stats.blankRows`).
 * `stats` is filled in as soon as the file is opened.
 */
export async function* readCsv(file: string, opts: CsvReadOptions, stats?: Partial<CsvStats>): AsyncGenerator<CsvRecord> {
  const { encoding, delimiter, typeLine } = await sniff(file, opts);
  if (stats) Object.assign(stats, { encoding, delimiter, blankRows: 0 });
  // from_line, not a skipped record: csv-parse takes the expected field count from its first
  // record, and a one-field #TYPE line would make every row after it a (costly) length error.
  // Lines are counted here rather than with csv-parse's `info`, which costs a third of the parse.
  const parser = parse({ delimiter, relax_column_count: true, from_line: typeLine ? 2 : 1 });
  pipeline(Readable.from(decode(file, encoding)), parser, () => undefined);
  let line = typeLine ? 2 : 1;
  let extraLines = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const start = line;
      const { breaks, crlf } = lineBreaksIn(record);
      line += breaks + 1;
      extraLines += crlf;
      if (isBlank(record)) {
        if (stats) stats.blankRows = (stats.blankRows ?? 0) + 1;
        continue;
      }
      yield { line: start, fields: record };
    }
  } catch (err) {
    if (err instanceof CsvError) throw quotingError(err, file, line, extraLines);
    throw err;
  }
}
