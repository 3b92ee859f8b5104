/**
 * manifest.json: the index of a set of files published together (lib/io/output-set.ts writes it
 * last), each file's size and SHA-256. A folder without it was never published whole; plan checks
 * a reconciliation against it before trusting it. docs/reconcile.md.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { IdreconError } from '../errors';
import type { Written } from '../io/csv-writer';
import type { SetIndex } from '../io/output-set';

export const MANIFEST = 'manifest.json';

export interface Manifest {
  command: string;
  files: Record<string, { bytes: number; sha256: string }>;
}

export function manifestOf(command: string, written: readonly Written[]): Manifest {
  return { command, files: Object.fromEntries(written.map((w) => [basename(w.path), { bytes: w.bytes, sha256: w.sha256 }])) };
}

/** The manifest of `folder`, for publishSet to write once every file of the set is in place. */
export function manifestIndex(folder: string, command: string): SetIndex {
  return { path: join(folder, MANIFEST), text: (written) => `${JSON.stringify(manifestOf(command, written), null, 2)}\n` };
}

export async function readManifest(file: string): Promise<Manifest> {
  return JSON.parse(await readFile(file, 'utf8')) as Manifest;
}

/**
 * Checks a file against the manifest of its folder before it is trusted: exit 2 when the
 * manifest is missing, or the file's size or SHA-256 differ from it.
 */
export async function checkAgainstManifest(file: string): Promise<void> {
  if (!existsSync(file)) return; // the reader says it is missing
  let manifest: Manifest;
  try {
    manifest = await readManifest(join(dirname(file), MANIFEST));
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
