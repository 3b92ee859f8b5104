/**
 * Where output files go: an admin's mistake (a missing folder, a folder given for a file, a
 * read-only folder) is an exit-2 message that says what to do, never "unexpected failure".
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { IdreconError } from '../errors';

/** Why a file system call failed, in an admin's words. */
export function causeOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOSPC':
      return 'the disk is full';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: the file is locked or the folder is read-only';
    case 'EBUSY':
      return 'the file is in use by another program (open in Excel?)';
    case 'EISDIR':
      return 'a folder has that name';
    case 'ENOTDIR':
      return 'part of the path is a file, not a folder';
    case 'EEXIST': // mkdir of a path that is a file
      return 'a file has that name, not a folder';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return e.message ?? String(err);
  }
}

/** Makes the folder of an output file; refuses a path that is a folder. */
export async function prepareOutputFile(file: string): Promise<void> {
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw new IdreconError('OUTPUT_WRITE', 'this is a folder: give a file name, for example inside that folder', { file });
  }
  await mkdir(dirname(file), { recursive: true }).catch((err: unknown) => {
    throw new IdreconError('OUTPUT_WRITE', `cannot create the folder for this file (${causeOf(err)}); choose another place`, { file });
  });
}

/** Makes an output folder. */
export async function prepareOutputFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true }).catch((err: unknown) => {
    throw new IdreconError('OUTPUT_WRITE', `cannot create the output folder (${causeOf(err)}); choose another --out`, { file: dir });
  });
}
