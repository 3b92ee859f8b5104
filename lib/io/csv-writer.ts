/**
 * Output that never looks finished before it is: it goes to a temporary file beside the target,
 * renamed into place by commit(); abort() (or a crash) leaves nothing under the real name.
 * CSV is written for Excel and PowerShell alike: UTF-8 with a byte order mark, CRLF line ends.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, statSync, type WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import { FORMULA_START, guardCell, guardText } from '../core/cell-guard';
import { copyBytes } from '../core/tables';
import { IdreconError } from '../errors';
import { causeOf } from './output';

/** Temporary names start with a dot and end in .tmp-PID so nobody mistakes them for output. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
}

/** Temporary files not yet committed, removed by lib/cli.ts when the run is interrupted. */
export const pendingTempFiles = new Set<string>();

/** What a finished file holds, for the manifest of a set (lib/io/output-set.ts). */
export interface Written {
  path: string;
  bytes: number;
  sha256: string;
}

/**
 * Renames a finished temporary file into place, or removes it. Its folder is made if missing;
 * its size and SHA-256 are taken as it is written, for the manifest of an output set.
 */
export class AtomicFile {
  readonly temp: string;
  readonly stream: WriteStream;
  private failure: Error | undefined;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private finishing: Promise<Written> | undefined;

  constructor(readonly path: string) {
    this.temp = tempPathFor(path);
    try {
      mkdirSync(dirname(path), { recursive: true });
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) this.failure = Object.assign(new Error('a folder has that name'), { code: 'EISDIR' });
    } catch (err) {
      this.failure = err as Error;
    }
    this.stream = createWriteStream(this.temp);
    pendingTempFiles.add(this.temp);
    this.stream.on('error', (err) => (this.failure ??= err));
  }

  protected writeError(): IdreconError {
    const cause = this.failure ? causeOf(this.failure) : 'the output stream closed early';
    return new IdreconError('OUTPUT_WRITE', `cannot write the file (${cause}); free the name or choose another place, then run again`, { file: this.path });
  }

  /** Every byte of the file goes through here, so its hash is that of the file; `written` is called once the stream is done with `chunk`. */
  protected put(chunk: Uint8Array | string, written?: () => void): void {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.hash.update(b);
    this.bytes += b.length;
    this.stream.write(b, written && (() => written()));
  }

  async write(text: string): Promise<void> {
    if (this.failure) throw this.writeError();
    this.put(text);
    await this.drain();
  }

  /** Waits while the stream holds more than it wants to. */
  async drain(): Promise<void> {
    if (this.failure) throw this.writeError();
    if (!this.stream.writableNeedDrain) return;
    await once(this.stream, 'drain').catch(() => {
      throw this.writeError();
    });
  }

  /** Ends the temporary file, on disk, once however often it is asked; what it holds. */
  finish(): Promise<Written> {
    this.finishing ??= (async () => {
      await this.writeRest();
      this.stream.end();
      await finished(this.stream).catch(() => undefined);
      if (this.failure) throw this.writeError();
      return { path: this.path, bytes: this.bytes, sha256: this.hash.digest('hex') };
    })();
    return this.finishing;
  }

  /** What a writer still holds in memory goes to the file before it ends. */
  protected async writeRest(): Promise<void> {}

  /**
   * Gives the finished temporary file its real name; the temporary name is no longer pending.
   * `removeFirst`: the file that has the name is removed first instead of renamed over (publishSet).
   */
  async place(removeFirst = false): Promise<void> {
    try {
      if (removeFirst) await unlink(this.path);
      await rename(this.temp, this.path);
    } catch (err) {
      throw new IdreconError('OUTPUT_WRITE', `cannot put the file in place (${causeOf(err)}); close it or free the name, then run again`, { file: this.path });
    }
    pendingTempFiles.delete(this.temp);
  }

  async commit(): Promise<void> {
    await this.finish();
    await this.place();
  }

  async abort(): Promise<void> {
    // The file is created when the stream opens, which may still be under way: wait for it to
    // close, or the unlink below runs first and the temporary file is left behind.
    if (!this.stream.closed) {
      const closed = once(this.stream, 'close').catch(() => undefined);
      this.stream.destroy();
      await closed;
    }
    await unlink(this.temp).catch(() => undefined);
    pendingTempFiles.delete(this.temp);
  }
}

/**
 * Runs `work`, which fills `files` (and may add to the list); when it fails, every file of the
 * list is removed before the error goes on, so no output is left that looks complete. The one
 * commit/abort block of idrecon's outputs.
 */
export async function orNothing<R>(files: readonly AtomicFile[], work: () => Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (err) {
    await Promise.all(files.map((f) => f.abort()));
    throw err;
  }
}

/** Fills one file and gives it its real name, or leaves nothing. */
export function writeWhole<R>(file: AtomicFile, fill: () => Promise<R>): Promise<R> {
  return orNothing([file], async () => {
    const result = await fill();
    await file.commit();
    return result;
  });
}

/**
 * The quoting rule of every CSV file idrecon writes: a field is quoted when it holds a comma, a
 * double quote, CR or LF (ByteCsvWriter below applies the same rule to bytes; test/csv-writers.test.ts
 * holds both to it). Rows end in CRLF. Cells come already guarded (lib/core/cell-guard.ts).
 */
export function csvRecords(rows: readonly (readonly (string | number)[])[]): string {
  // csv-stringify quotes only the record delimiter (CRLF) by default: a lone LF or CR in a value
  // would otherwise split the row for any reader.
  return stringify(rows as (string | number)[][], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

/**
 * Rows are formatted by csv-stringify in batches: one write per batch, not per row. Every text
 * cell goes through the formula guard (lib/core/cell-guard.ts); numbers are written as numbers.
 * `keepText`: also keep text a spreadsheet would read as a number or date (the plan).
 */
export class CsvWriter extends AtomicFile {
  private static readonly BATCH = 2000;
  private rows: (readonly (string | number)[])[];
  private started = false;
  private readonly guard: (value: string) => string;

  constructor(path: string, header: readonly string[], options: { keepText?: boolean } = {}) {
    super(path);
    this.rows = [header];
    this.guard = options.keepText ? guardText : guardCell;
  }

  async row(fields: readonly (string | number)[]): Promise<void> {
    this.rows.push(fields.map((f) => (typeof f === 'string' ? this.guard(f) : f)));
    if (this.rows.length >= CsvWriter.BATCH) await this.flush();
  }

  private async flush(): Promise<void> {
    const text = csvRecords(this.rows);
    this.rows = [];
    await this.write(this.started ? text : `\ufeff${text}`);
    this.started = true;
  }

  protected override async writeRest(): Promise<void> {
    await this.flush();
  }
}

const CRLF = Buffer.from('\r\n', 'latin1');

/*
 * The rule as functions on a buffer and a write position, each returning where it ends: the
 * reconciliation writer reserves room for a whole row once and writes every field through them.
 */

/** The most bytes putField writes for a value of `len` bytes: every byte a double quote, guarded. */
export const fieldRoom = (len: number): number => 4 * len + 7;

/** A field of bytes [from, to) of `src` at `p` of `b`, quoted or guarded as it needs (room: fieldRoom). */
export function putField(b: Uint8Array, p: number, src: Uint8Array, from: number, to: number): number {
  return to > from && FORMULA_START[src[from]] === 1 ? putGuarded(b, p, src, from, to) : putUnguarded(b, p, src, from, to);
}

/** Whether a field whose first byte is `first` starts a formula, and so is guarded (lib/core/cell-guard.ts). */
export const isFormulaStart = (first: number): boolean => FORMULA_START[first] === 1;

/** putField when the caller has already tested the first byte: `guarded` says whether it starts a formula. */
export function putFieldAs(b: Uint8Array, p: number, src: Uint8Array, from: number, to: number, guarded: boolean): number {
  return guarded ? putGuarded(b, p, src, from, to) : putUnguarded(b, p, src, from, to);
}

/** A field that does not start a formula, quoted if it holds a comma, a double quote, CR or LF. */
function putUnguarded(b: Uint8Array, p: number, src: Uint8Array, from: number, to: number): number {
  // Copied as it is checked: nearly no value needs quotes, so one pass usually does. Letters,
  // digits and . @ - / sort above the comma, so one comparison clears most bytes.
  let o = p;
  for (let i = from; i < to; i++) {
    const c = src[i];
    if (c <= 0x2c && (c === 0x2c || c === 0x22 || c === 0x0d || c === 0x0a)) return putQuoted(b, p, src, from, to);
    b[o++] = c;
  }
  return o;
}

function putQuoted(b: Uint8Array, p: number, src: Uint8Array, from: number, to: number): number {
  b[p++] = 0x22;
  for (let i = from; i < to; i++) {
    if (src[i] === 0x22) b[p++] = 0x22;
    b[p++] = src[i];
  }
  b[p++] = 0x22;
  return p;
}

/** A field that starts a formula, as the CSV of ="value": its quotes doubled twice, the whole quoted. */
function putGuarded(b: Uint8Array, p: number, src: Uint8Array, from: number, to: number): number {
  p = guardOpen(b, p);
  for (let i = from; i < to; i++) {
    if (src[i] === 0x22) {
      b[p++] = 0x22;
      b[p++] = 0x22;
      b[p++] = 0x22;
    }
    b[p++] = src[i];
  }
  return guardClose(b, p);
}

/** `"=""`, how a guarded field starts; for a value with no double quote in it, what it is written between with guardClose. */
export function guardOpen(b: Uint8Array, p: number): number {
  b[p] = 0x22;
  b[p + 1] = 0x3d;
  b[p + 2] = 0x22;
  b[p + 3] = 0x22;
  return p + 4;
}

/** `"""`, how a guarded field ends. */
export function guardClose(b: Uint8Array, p: number): number {
  b[p] = 0x22;
  b[p + 1] = 0x22;
  b[p + 2] = 0x22;
  return p + 3;
}

/** Text of ASCII characters that needs no quotes (a status, a reason) at `p`. */
export function putAscii(b: Uint8Array, p: number, text: string): number {
  for (let i = 0; i < text.length; i++) b[p++] = text.charCodeAt(i);
  return p;
}

/** "00" to "99", for integers two digits at a time. */
const DIGIT_PAIRS = Buffer.from(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''), 'latin1');

/** A non-negative integer (a line number) at `p`; room: its digits. */
export function putInteger(b: Uint8Array, p: number, n: number): number {
  let end = p + 1;
  for (let m = 10; m <= n; m *= 10) end++;
  let o = end;
  while (n >= 100) {
    const r = n % 100;
    n = (n - r) / 100;
    b[--o] = DIGIT_PAIRS[2 * r + 1];
    b[--o] = DIGIT_PAIRS[2 * r];
  }
  if (n >= 10) {
    b[--o] = DIGIT_PAIRS[2 * n + 1];
    b[--o] = DIGIT_PAIRS[2 * n];
  } else b[--o] = 0x30 + n;
  return end;
}

/**
 * CSV rows formatted as bytes, for the million-row reconciliation: fields are copied from where
 * they already lie, quoted when they hold a comma, a double quote, CR or LF (as CsvWriter does), and
 * guarded against formulas by the same rule (lib/core/cell-guard.ts): one byte test per field.
 * Callers write a row's fields with field()/next(), end it with endRow(); or reserve room for
 * several with next() and write them with the put functions above, then set `pos`. Full buffers
 * go to `spill`, which owns them from then on: a file (ByteCsvWriter), or another thread.
 */
export class CsvBytes {
  private buf: Buffer;
  /** Bytes of buf filled; a row's first field is not preceded by a comma. */
  pos = 0;
  private rowStarted = false;

  /** `fresh`: where each next buffer comes from (a BufferPool's take, to use written ones again). */
  constructor(
    private readonly spill: (chunk: Buffer) => void,
    size = 1 << 20,
    private readonly fresh: () => Buffer = () => Buffer.allocUnsafe(size),
  ) {
    this.buf = fresh();
  }

  /** The buffer, with room for `n` more bytes from `pos`. */
  room(n: number): Buffer {
    if (this.pos + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
    }
    return this.buf;
  }

  /** Hands what is buffered to `spill` and starts a new buffer. */
  flush(): void {
    if (this.pos === 0) return;
    this.spill(this.buf.subarray(0, this.pos));
    this.buf = this.fresh();
    this.pos = 0;
  }

  /** Starts the next field; returns the buffer with room for `n` bytes of it. */
  next(n: number): Buffer {
    const b = this.room(n + 1);
    if (this.rowStarted) b[this.pos++] = 0x2c;
    this.rowStarted = true;
    return b;
  }

  /** A field of bytes [from, to) of `src`, quoted if it needs to be. */
  field(src: Uint8Array, from: number, to: number): void {
    this.pos = putField(this.next(fieldRoom(to - from)), this.pos, src, from, to);
  }

  /**
   * Ends a field whose `len` bytes the caller wrote in place at `pos` after next(len), guarded
   * like field() when it starts a formula (a Base64 ImmutableID can start with +).
   */
  placed(len: number): void {
    if (FORMULA_START[this.buf[this.pos]] !== 1) {
      this.pos += len;
      return;
    }
    const bytes = Uint8Array.from(this.buf.subarray(this.pos, this.pos + len));
    this.pos = putGuarded(this.room(fieldRoom(len)), this.pos, bytes, 0, len);
  }

  /** A field of ASCII text that needs no quotes (a status, a number). */
  ascii(text: Uint8Array): void {
    const b = this.next(text.length);
    copyBytes(text, 0, text.length, b, this.pos);
    this.pos += text.length;
  }

  empty(): void {
    this.next(0);
  }

  /** A non-negative integer (a line number). */
  integer(n: number): void {
    // A safe integer has at most 16 digits.
    this.pos = putInteger(this.next(16), this.pos, n);
  }

  endRow(): void {
    const b = this.room(2);
    b.set(CRLF, this.pos);
    this.pos += 2;
    this.rowStarted = false;
  }
}

/** CSV rows (CsvBytes, as `rows`) into a file that appears only when complete; await drain() when `backlog` is set. */
export class ByteCsvWriter extends AtomicFile {
  readonly rows = new CsvBytes((chunk) => this.put(chunk));

  constructor(path: string, header: readonly string[]) {
    super(path);
    const head = Buffer.from(`\ufeff${header.join(',')}\r\n`, 'utf8');
    head.copy(this.rows.room(head.length), this.rows.pos);
    this.rows.pos += head.length;
  }

  /** Rows formatted elsewhere (whole rows, after what `rows` holds); `written` is called once the bytes are in the file and `chunk` can be used again. */
  rowsFrom(chunk: Uint8Array, written: () => void): void {
    this.rows.flush();
    this.put(chunk, written);
  }

  /** More is queued for the file than the stream wants held. */
  get backlog(): boolean {
    return this.stream.writableNeedDrain;
  }

  protected override async writeRest(): Promise<void> {
    this.rows.flush();
  }
}
