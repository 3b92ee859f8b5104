/**
 * Output that never looks finished before it is: it goes to a temporary file beside the target,
 * renamed into place by commit(); abort() (or a crash) leaves nothing under the real name.
 * CSV is written for Excel and PowerShell alike: UTF-8 with a byte order mark, CRLF line ends.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import { IdreconError } from '../errors';

/** Temporary names start with a dot and end in .tmp-PID so nobody mistakes them for output. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
}

/** Temporary files not yet committed, removed by lib/cli.ts when the run is interrupted. */
export const pendingTempFiles = new Set<string>();

/** Renames a finished temporary file into place, or removes it. */
export class AtomicFile {
  readonly temp: string;
  readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(readonly path: string) {
    this.temp = tempPathFor(path);
    this.stream = createWriteStream(this.temp);
    pendingTempFiles.add(this.temp);
    this.stream.on('error', (err) => (this.failure = err));
  }

  protected writeError(): IdreconError {
    const cause = this.failure?.message ?? 'the output stream closed early';
    return new IdreconError('OUTPUT_WRITE', `cannot write the file (${cause}); check the folder exists and is writable`, { file: this.path });
  }

  async write(text: string): Promise<void> {
    if (this.failure) throw this.writeError();
    if (!this.stream.write(text)) {
      await once(this.stream, 'drain').catch(() => {
        throw this.writeError();
      });
    }
  }

  async commit(): Promise<void> {
    this.stream.end();
    await finished(this.stream).catch(() => undefined);
    if (this.failure) throw this.writeError();
    await rename(this.temp, this.path);
    pendingTempFiles.delete(this.temp);
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

/** Rows are formatted by csv-stringify in batches: one write per batch, not per row. */
export class CsvWriter extends AtomicFile {
  private static readonly BATCH = 2000;
  private rows: (readonly (string | number)[])[];
  private started = false;

  constructor(path: string, header: readonly string[]) {
    super(path);
    this.rows = [header];
  }

  async row(fields: readonly (string | number)[]): Promise<void> {
    this.rows.push(fields);
    if (this.rows.length >= CsvWriter.BATCH) await this.flush();
  }

  private async flush(): Promise<void> {
    // csv-stringify quotes only the record delimiter (CRLF) by default: a lone LF or CR in a value
    // would otherwise split the row for any reader.
    const text = stringify(this.rows, { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
    this.rows = [];
    await this.write(this.started ? text : `\ufeff${text}`);
    this.started = true;
  }

  override async commit(): Promise<void> {
    await this.flush();
    await super.commit();
  }
}
