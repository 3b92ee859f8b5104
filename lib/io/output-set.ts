/**
 * The files of one run published as a set: all of them or none. Each file is finished under a
 * temporary name first; then the old manifest goes, every file is renamed into place (the old
 * version kept aside by a hard link until the end), and the manifest, listing each file's size
 * and SHA-256, is written last. A failure while publishing puts every old file back and is exit 2
 * naming the file and the cause; a crash while publishing leaves no manifest, so a reader
 * (plan, checking a reconciliation) can tell a set that is not whole. docs/reconcile.md.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, link, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { IdreconError } from '../errors';
import { AtomicFile, type Written } from './csv-writer';
import { causeOf } from './output';

export const MANIFEST = 'manifest.json';

export interface Manifest {
  command: string;
  files: Record<string, { bytes: number; sha256: string }>;
}

const asidePath = (path: string): string => join(dirname(path), `.${basename(path)}.prev-${process.pid}`);

/**
 * Publishes `files`; `replaces` names files of an earlier run that this run does not write and
 * that must not stay beside it (a plan.csv from an earlier reconcile --plan). With `manifest`,
 * writes DIR/manifest.json last.
 */
export async function publishSet(files: AtomicFile[], options: { command: string; manifest?: string; replaces?: string[] } = { command: '' }): Promise<void> {
  let written: Written[];
  try {
    written = [];
    for (const f of files) written.push(await f.finish());
  } catch (err) {
    await Promise.all(files.map((f) => f.abort()));
    throw err;
  }
  const manifestPath = options.manifest && join(options.manifest, MANIFEST);
  const touched = [...(manifestPath ? [manifestPath] : []), ...files.map((f) => f.path), ...(options.replaces ?? [])];
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
    if (manifestPath && existsSync(manifestPath)) await unlink(manifestPath);
    for (const f of files) {
      await f.place();
      placed.push(f.path);
    }
    for (const path of options.replaces ?? []) if (!files.some((f) => f.path === path)) await unlink(path).catch(() => undefined);
    if (manifestPath) {
      const manifest: Manifest = { command: options.command, files: Object.fromEntries(written.map((w) => [basename(w.path), { bytes: w.bytes, sha256: w.sha256 }])) };
      const out = new AtomicFile(manifestPath);
      await out.write(`${JSON.stringify(manifest, null, 2)}\n`);
      await out.commit();
    }
  } catch (err) {
    await restore();
    if (err instanceof IdreconError) throw err;
    throw new IdreconError('OUTPUT_WRITE', `cannot publish the output (${causeOf(err)}); the previous files are unchanged: fix the cause, then run again`, { file: options.manifest ?? files[0]?.path });
  }
  for (const kept of aside.values()) await unlink(kept).catch(() => undefined);
}

/**
 * Checks a file against the manifest of its folder before it is trusted: exit 2 when the
 * manifest is missing, or the file's size or SHA-256 differ from it.
 */
export async function checkAgainstManifest(file: string): Promise<void> {
  if (!existsSync(file)) return; // the reader says it is missing
  const manifestPath = join(dirname(file), MANIFEST);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  } catch {
    throw new IdreconError(
      'INPUT_VALUE',
      `there is no readable ${MANIFEST} beside it, so it may be one file of an output that was never published whole: run idrecon reconcile again (or copy its --out folder whole)`,
      { file },
    );
  }
  const entry = manifest.files?.[basename(file)];
  if (!entry) throw new IdreconError('INPUT_VALUE', `${MANIFEST} beside it does not list it: it is not part of that reconcile run; run idrecon reconcile again`, { file });
  const bytes = (await stat(file)).size;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  if (bytes !== entry.bytes || hash.digest('hex') !== entry.sha256) {
    throw new IdreconError('INPUT_VALUE', `it differs from what ${MANIFEST} records (size or SHA-256): it was changed since reconcile wrote it, or only part of a run was published; run idrecon reconcile again`, { file });
  }
}
