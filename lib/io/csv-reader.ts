/**
 * The one CSV reader: bytes on disk to records with the line each starts on. It owns everything
 * about how exports are written: byte order marks and UTF-16 (PowerShell `>`), invalid UTF-8,
 * the `#TYPE` line of Windows PowerShell 5.1, `,` `;` or tab delimiters, blank rows, and turns
 * broken quoting into an error that names the line.
 *
 * Parsing is RFC 4180 over UTF-8 bytes, done here rather than by csv-parse: reconcile reads a
 * million-user export in about a second this way, where csv-parse alone took ten (the
 * measurements are in docs/performance.md). Records come out as field offsets into the bytes,
 * so the reconcile engine copies what it needs without making a string per field; readCsv()
 * gives the same records as strings for everything else.
 */
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { type FileHandle, open } from 'node:fs/promises';
import { IdreconError } from '../errors';
import type { Encoding } from './encoding';
import { looksLikeLdif } from './ldif';

export { ENCODINGS, type Encoding } from './encoding';
export type Delimiter = 'auto' | ',' | ';' | '\t';

export interface CsvReadOptions {
  encoding: Encoding;
  delimiter: Delimiter;
  /** Bytes read at a time (2 MiB); a record longer than that is read whole all the same. */
  chunkBytes?: number;
}

export interface CsvRecord {
  /** Line of the file the record starts on, counting from 1 (the #TYPE line included). */
  line: number;
  fields: string[];
}

export interface CsvStats {
  encoding: Exclude<Encoding, 'auto'>;
  /** 'ldif' for an on-prem LDIF file, read as if it were CSV (lib/reconcile/load.ts). */
  delimiter: Exclude<Delimiter, 'auto'> | 'ldif';
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
  const text = new TextDecoder(encoding).decode(sample);
  if (looksLikeLdif(text)) {
    throw new IdreconError('INPUT_FORMAT', 'is LDIF (an ldifde or ldapsearch export), not CSV; only reconcile --onprem reads LDIF: give a CSV export here', { file, line: 1 });
  }
  const [first = '', ...rest] = text.split(/\r?\n/, 50);
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


const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const CHUNK = 1 << 21;

const QUOTING_HINT =
  'a field that contains the delimiter, a double quote or a line break must be enclosed in double quotes, with quotes inside it doubled ("")';

function quotingError(file: string, line: number, what: string): IdreconError {
  return new IdreconError('INPUT_QUOTING', `broken CSV quoting: ${what}; ${QUOTING_HINT}`, { file, line });
}

/**
 * One record of the bytes being read: field i is bytes [starts[i], ends[i]) of `buf`, without
 * its enclosing quotes. The object and its arrays are reused for the next record: copy what you
 * keep.
 */
export class RawRecord {
  buf: Buffer = Buffer.alloc(0);
  /** Line of the file the record starts on, counting from 1 (the #TYPE line included). */
  line = 0;
  count = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  /** 1 where a quoted field holds doubled quotes (""), which text() undoes. */
  escaped = new Uint8Array(64);

  /** Field i as text; '' past the end of a short row. */
  text(i: number): string {
    if (i >= this.count) return '';
    const s = this.buf.toString('utf8', this.starts[i], this.ends[i]);
    return this.escaped[i] ? s.replaceAll('""', '"') : s;
  }

  fields(): string[] {
    const out = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.text(i);
    return out;
  }

  grow(): void {
    const n = this.starts.length * 2;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    const escaped = new Uint8Array(n);
    starts.set(this.starts);
    ends.set(this.ends);
    escaped.set(this.escaped);
    Object.assign(this, { starts, ends, escaped });
  }

  /** Every field empty or white space (a blank line, or Excel's `,,,`): never data. */
  isBlank(): boolean {
    const b = this.buf;
    for (let f = 0; f < this.count; f++) {
      for (let i = this.starts[f]; i < this.ends[f]; i++) {
        const c = b[i];
        if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) continue;
        if (c < 0x80 || this.text(f).trim() !== '') return false;
        break;
      }
    }
    return true;
  }
}

/** Line breaks in bytes (CRLF, CR or LF each count one, as an editor shows them). */
function lineBreaks(b: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (b[i] === CR || (b[i] === LF && (i === from || b[i - 1] !== CR))) n++;
  return n;
}

/**
 * Reads a CSV file a chunk at a time. Each call to next() reads on and hands every complete,
 * non-blank record to `visit`; a record cut by the end of a chunk waits for the next one.
 */
class CsvScanner {
  private buf: Buffer;
  /** Bytes of buf that hold data, and where the records not yet read start. */
  private len = 0;
  private pos = 0;
  private eof = false;
  private offset = 0;
  private line = 1;
  private readonly record = new RawRecord();
  private readonly delimiter: number;
  /** For input that is not UTF-8: it is decoded to text and read as UTF-8. */
  private readonly decoder: TextDecoder | undefined;
  private raw: Buffer | undefined;

  private constructor(
    private readonly file: string,
    private readonly handle: FileHandle,
    private typeLine: boolean,
    readonly stats: CsvStats,
    chunkBytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
    this.delimiter = stats.delimiter.charCodeAt(0);
    if (stats.encoding !== 'utf-8') {
      this.decoder = new TextDecoder(stats.encoding, { fatal: true });
      this.raw = Buffer.allocUnsafe(chunkBytes);
    }
  }

  /** `stats` (if given) is filled in at once and its blank row count kept up to date. */
  static async open(file: string, opts: CsvReadOptions, stats: Partial<CsvStats> = {}): Promise<CsvScanner> {
    const { encoding, delimiter, typeLine } = await sniff(file, opts);
    const handle = await open(file, 'r').catch((err: Error) => {
      throw new IdreconError('INPUT_NOT_FOUND', `cannot read the file (${err.message})`, { file });
    });
    // At least 4 bytes, so a chunk always has room for a whole UTF-8 sequence or CRLF.
    const chunkBytes = Math.max(4, opts.chunkBytes ?? CHUNK);
    return new CsvScanner(file, handle, typeLine, Object.assign(stats, { encoding, delimiter, blankRows: 0 }), chunkBytes);
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }

  /** Reads on, calling `visit` for each record found; false once the whole file has been read. */
  async next(visit: (record: RawRecord) => void): Promise<boolean> {
    if (this.eof && this.pos >= this.len) return false;
    const first = this.offset === 0;
    await this.fill();
    if (first) this.skipByteOrderMark();
    if (this.typeLine) this.skipTypeLine();
    if (!this.typeLine) {
      const from = this.pos;
      const lineAtFrom = this.line;
      this.tokenize(visit);
      if (!this.decoder && !isUtf8(this.buf.subarray(from, this.pos))) throw this.invalidUtf8(from, lineAtFrom);
    }
    return !(this.eof && this.pos >= this.len);
  }

  private async fill(): Promise<void> {
    const rest = this.len - this.pos;
    if (rest > this.buf.length / 2) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, this.pos, this.len);
      this.buf = bigger;
    } else {
      this.buf.copy(this.buf, 0, this.pos, this.len);
    }
    this.len = rest;
    this.pos = 0;
    if (this.eof) return;
    const target = this.decoder ? this.raw! : this.buf;
    const at = this.decoder ? 0 : this.len;
    const { bytesRead } = await this.handle.read(target, at, target.length - at, this.offset).catch((err: Error) => {
      throw new IdreconError('INPUT_NOT_FOUND', `cannot read the file (${err.message})`, { file: this.file });
    });
    this.offset += bytesRead;
    if (bytesRead === 0) this.eof = true;
    if (this.decoder) this.append(this.decode(this.raw!.subarray(0, bytesRead)));
    else this.len += bytesRead;
  }

  private decode(bytes: Buffer): Buffer {
    try {
      return Buffer.from(this.decoder!.decode(bytes, { stream: !this.eof }), 'utf8');
    } catch {
      throw new IdreconError(
        'INPUT_ENCODING',
        `is not valid ${this.stats.encoding.toUpperCase()}; it was probably saved in another encoding: re-save it as UTF-8 (Export-Csv -Encoding UTF8)`,
        { file: this.file, line: this.line + lineBreaks(this.buf, 0, this.len) },
      );
    }
  }

  private append(bytes: Buffer): void {
    if (this.len + bytes.length > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + bytes.length));
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    bytes.copy(this.buf, this.len);
    this.len += bytes.length;
  }

  private skipByteOrderMark(): void {
    const b = this.buf;
    if (this.len >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) this.pos = 3;
  }

  /** Windows PowerShell 5.1's first line, which may end beyond the chunk that starts it. */
  private skipTypeLine(): void {
    const b = this.buf;
    let i = this.pos;
    while (i < this.len && b[i] !== LF && b[i] !== CR) i++;
    if (i + (b[i] === CR ? 1 : 0) >= this.len && !this.eof) {
      this.pos = i;
      return;
    }
    if (b[i] === CR && b[i + 1] === LF) i++;
    this.pos = Math.min(i + 1, this.len);
    this.line = 2;
    this.typeLine = false;
  }

  private invalidUtf8(from: number, lineAtFrom: number): IdreconError {
    const region = this.buf.subarray(from, this.pos);
    const at = firstInvalidUtf8(region);
    const byte = at < region.length ? ` (byte 0x${region[at].toString(16).toUpperCase().padStart(2, '0')})` : '';
    return new IdreconError(
      'INPUT_ENCODING',
      `is not valid UTF-8${byte}; it was probably saved in a Windows code page: re-save it as UTF-8 (Export-Csv -Encoding UTF8), or run again with --encoding windows-1252`,
      { file: this.file, line: lineAtFrom + lineBreaks(region, 0, Math.min(at, region.length)) },
    );
  }

  /**
   * RFC 4180: fields split by the delimiter; records by CRLF, LF or CR; a field in double quotes
   * may hold any of those and doubled quotes. One pass over the bytes, no copies.
   */
  private tokenize(visit: (record: RawRecord) => void): void {
    const b = this.buf;
    const end = this.len;
    const final = this.eof;
    const d = this.delimiter;
    const rec = this.record;
    rec.buf = b;
    let pos = this.pos;
    let line = this.line;
    records: while (pos < end) {
      const recordStart = pos;
      let n = 0;
      let breaks = 0;
      for (;;) {
        if (n === rec.starts.length) rec.grow();
        if (pos < end && b[pos] === QUOTE) {
          const start = pos + 1;
          let i = start;
          let escaped = 0;
          for (;;) {
            if (i >= end) {
              if (final) throw quotingError(this.file, line, 'a quoted field starts on this line and is never closed');
              pos = recordStart;
              break records;
            }
            const c = b[i];
            // Nearly every byte is above the three that matter here: one comparison for those.
            if (c > QUOTE) {
              i++;
              continue;
            }
            if (c === QUOTE) {
              if (i + 1 >= end && !final) {
                pos = recordStart;
                break records;
              }
              if (b[i + 1] !== QUOTE) break;
              escaped = 1;
              i += 2;
              continue;
            }
            if (c === CR || (c === LF && b[i - 1] !== CR)) breaks++;
            i++;
          }
          rec.starts[n] = start;
          rec.ends[n] = i;
          rec.escaped[n] = escaped;
          n++;
          pos = i + 1;
          if (pos < end && b[pos] !== d && b[pos] !== CR && b[pos] !== LF) {
            throw quotingError(this.file, line + breaks, 'a closing quote is followed by more text');
          }
        } else {
          const start = pos;
          while (pos < end) {
            const c = b[pos];
            if (c > QUOTE && c !== d) {
              pos++;
              continue;
            }
            if (c === d || c === LF || c === CR) break;
            if (c === QUOTE) throw quotingError(this.file, line + breaks, 'a double quote appears inside a field that is not quoted');
            pos++;
          }
          if (pos >= end && !final) {
            pos = recordStart;
            break records;
          }
          rec.starts[n] = start;
          rec.ends[n] = pos;
          rec.escaped[n] = 0;
          n++;
        }
        if (pos >= end) break;
        const c = b[pos];
        if (c === d) {
          pos++;
          continue;
        }
        if (c === CR) {
          if (pos + 1 >= end && !final) {
            pos = recordStart;
            break records;
          }
          pos += b[pos + 1] === LF ? 2 : 1;
        } else {
          pos++;
        }
        break;
      }
      rec.count = n;
      rec.line = line;
      line += breaks + 1;
      if (rec.isBlank()) this.stats.blankRows++;
      else visit(rec);
    }
    this.pos = pos;
    this.line = line;
  }
}

/** Every record of a file, header first, handed to `visit` as bytes: the fast way to read. */
export async function scanCsv(file: string, opts: CsvReadOptions, visit: (record: RawRecord) => void, stats?: Partial<CsvStats>): Promise<CsvStats> {
  const scanner = await CsvScanner.open(file, opts, stats);
  try {
    while (await scanner.next(visit));
  } finally {
    await scanner.close();
  }
  return scanner.stats;
}

/**
 * Streams the records of a CSV file as text, header first, each with the line it starts on.
 * Skips the #TYPE line, and blank lines and rows whose every field is empty or spaces (counted in
 * `stats.blankRows`). `stats` is filled in as soon as the file is opened.
 */
export async function* readCsv(file: string, opts: CsvReadOptions, stats?: Partial<CsvStats>): AsyncGenerator<CsvRecord> {
  const scanner = await CsvScanner.open(file, opts, stats);
  let batch: CsvRecord[] = [];
  const collect = (r: RawRecord) => batch.push({ line: r.line, fields: r.fields() });
  try {
    for (let more = true; more; ) {
      more = await scanner.next(collect);
      const records = batch;
      batch = [];
      yield* records;
    }
  } finally {
    await scanner.close();
  }
}
