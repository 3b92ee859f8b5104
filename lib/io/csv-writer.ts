/**
 * CSV output that never looks finished before it is: rows go to a temporary file beside the
 * target, renamed into place by commit(). abort() (or a crash) leaves no file under the real name.
 * Written for Excel and PowerShell alike: UTF-8 with a byte order mark, CRLF line ends.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { stringify, type Stringifier } from 'csv-stringify';
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
    if (!this.stream.write(text)) await Promise.race([once(this.stream, 'drain'), once(this.stream, 'close')]);
  }

  async commit(): Promise<void> {
    this.stream.end();
    await finished(this.stream).catch(() => undefined);
    if (this.failure) throw this.writeError();
    await rename(this.temp, this.path);
    pendingTempFiles.delete(this.temp);
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await unlink(this.temp).catch(() => undefined);
    pendingTempFiles.delete(this.temp);
  }
}

export class CsvWriter extends AtomicFile {
  private readonly stringifier: Stringifier;

  constructor(path: string, header: readonly string[]) {
    super(path);
    this.stringifier = stringify({ bom: true, record_delimiter: 'windows' });
    this.stringifier.on('error', (err) => this.stream.destroy(err));
    this.stringifier.pipe(this.stream);
    this.stringifier.write(header);
  }

  async row(fields: readonly (string | number)[]): Promise<void> {
    if (!this.stringifier.write(fields)) await Promise.race([once(this.stringifier, 'drain'), once(this.stream, 'close')]);
    if (this.stream.destroyed) throw this.writeError();
  }

  override async commit(): Promise<void> {
    this.stringifier.end();
    await super.commit();
  }

  override async abort(): Promise<void> {
    this.stringifier.destroy();
    await super.abort();
  }
}
