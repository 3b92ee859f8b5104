/**
 * The files of one run published as a set: all of them or none. Each file is finished under a
 * temporary name first; then the old manifest goes, every file is renamed into place (the old
 * version kept aside by a hard link until the end), and the set's index (manifest.json,
 * lib/formats/manifest.ts) is written last. A failure while publishing puts every old file back and is exit 2
 * naming the file and the cause; a crash while publishing leaves no manifest, so a reader
 * (plan, checking a reconciliation) can tell a set that is not whole. docs/reconcile.md.
 */
import { existsSync } from 'node:fs';
import { copyFile, link, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { IdreconError } from '../errors';
import { AtomicFile, type Written } from './csv-writer';
import { causeOf } from './output';

/** The file that lists a set, written last: its text from what each file of the set holds. */
export interface SetIndex {
  path: string;
  text(written: readonly Written[]): string;
}

const asidePath = (path: string): string => join(dirname(path), `.${basename(path)}.prev-${process.pid}`);

/**
 * Publishes `files`; `replaces` names files of an earlier run that this run does not write and
 * that must not stay beside it (a plan.csv from an earlier reconcile --plan). With `index`,
 * writes it last.
 */
export async function publishSet(files: AtomicFile[], options: { index?: SetIndex; replaces?: string[] } = {}): Promise<void> {
  let written: Written[];
  try {
    written = [];
    for (const f of files) written.push(await f.finish());
  } catch (err) {
    await Promise.all(files.map((f) => f.abort()));
    throw err;
  }
  const index = options.index;
  const indexPath = index?.path;
  const touched = [...(indexPath ? [indexPath] : []), ...files.map((f) => f.path), ...(options.replaces ?? [])];
  // A folder in the way is found before anything moves.
  for (const path of touched) {
    if ((await stat(path).catch(() => undefined))?.isDirectory()) {
      await Promise.all(files.map((f) => f.abort()));
      throw new IdreconError('OUTPUT_WRITE', 'cannot publish the output: a folder has this name; move it away, then run again (the previous files are unchanged)', { file: path });
    }
  }
  const aside = new Map<string, string>();
  const placed: string[] = [];
  const restore = async () => {
    for (const path of placed) await unlink(path).catch(() => undefined);
    // A file that was not replaced yet is still the old one (its kept hard link is the same file,
    // which rename would leave in place): only its kept name goes.
    for (const [path, kept] of aside) {
      if (existsSync(path)) await unlink(kept).catch(() => undefined);
      else await rename(kept, path).catch(() => undefined);
    }
    await Promise.all(files.map((f) => f.abort()));
  };
  try {
    for (const path of touched) {
      if (!existsSync(path)) continue;
      const kept = asidePath(path);
      await link(path, kept).catch(() => copyFile(path, kept));
      aside.set(path, kept);
    }
    if (indexPath && existsSync(indexPath)) await unlink(indexPath);
    for (const f of files) {
      // The old file (kept aside above) is removed before the new one takes its name, not renamed
      // over: ext4 writes a file renamed over another out to disk there and then (auto_da_alloc),
      // 60 ms of a 200 MB reconciliation. The manifest, written last, says the set is whole.
      await f.place(aside.has(f.path));
      placed.push(f.path);
    }
    for (const path of options.replaces ?? []) if (!files.some((f) => f.path === path)) await unlink(path).catch(() => undefined);
    if (index) {
      const out = new AtomicFile(index.path);
      await out.write(index.text(written));
      await out.commit();
    }
  } catch (err) {
    await restore();
    if (err instanceof IdreconError) throw err;
    throw new IdreconError('OUTPUT_WRITE', `cannot publish the output (${causeOf(err)}); the previous files are unchanged: fix the cause, then run again`, { file: indexPath ? dirname(indexPath) : files[0]?.path });
  }
  for (const kept of aside.values()) await unlink(kept).catch(() => undefined);
}
