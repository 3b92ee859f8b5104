/**
 * LDIF as directory tools write it (RFC 2849): `ldifde` on Windows, `ldapsearch` and Samba's
 * `ldbsearch` elsewhere. Entries are separated by blank lines; a line starting with one space
 * continues the one before (folding); `attr:: ` is Base64 (binary or non-ASCII values),
 * `attr: ` plain text; an attribute listed again adds a value. ldapsearch's comments, its
 * `search:`/`result:` trailer and continuation references (`ref:`) are not entries.
 *
 * Read one entry at a time, so memory does not grow with the file. Not the CSV hot path: an
 * LDIF export is read into the same tables through the same row reader, as if it were the CSV
 * `export onprem` writes (lib/reconcile/load.ts).
 */
import { open } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import type { AttributeValue, DirectoryEntry } from '../core/directory-entry';
import { IdreconError } from '../errors';
import type { Encoding } from './encoding';

const SAMPLE_BYTES = 64 * 1024;
const CHUNK = 1 << 20;

/** The first line that is not blank or a comment is `version: 1` or `dn:`: CSV never starts so. */
export function looksLikeLdif(text: string): boolean {
  for (const line of text.replace(/^\ufeff/, '').split(/\r?\n/, 200)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    return /^(version:\s*1\s*$|dn::?[ \t]*\S)/i.test(line);
  }
  return false;
}

function bomEncoding(b: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' | undefined {
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  return undefined;
}

/** ldifde -u writes UTF-16LE with a byte order mark; everything else writes UTF-8. */
function encodingOf(sample: Uint8Array, given: Encoding): Exclude<Encoding, 'auto'> {
  return given === 'auto' ? (bomEncoding(sample) ?? 'utf-8') : given;
}

/** Whether the file is LDIF; false when it cannot be read (the CSV reader then says why). */
export async function isLdifFile(file: string, encoding: Encoding): Promise<boolean> {
  try {
    const handle = await open(file, 'r');
    try {
      const buf = Buffer.alloc(SAMPLE_BYTES);
      const { bytesRead } = await handle.read(buf, 0, SAMPLE_BYTES, 0);
      const sample = buf.subarray(0, bytesRead);
      return looksLikeLdif(new TextDecoder(encodingOf(sample, encoding)).decode(sample));
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

export class LdifEntry implements DirectoryEntry {
  readonly attributes = new Map<string, AttributeValue[]>();

  constructor(
    readonly dn: string,
    /** Line of the file the entry's dn is on. */
    readonly line: number,
  ) {}

  values(attribute: string): readonly AttributeValue[] {
    return this.attributes.get(attribute.toLowerCase()) ?? [];
  }

  add(attribute: string, value: AttributeValue): void {
    const key = attribute.toLowerCase();
    const list = this.attributes.get(key);
    if (list) list.push(value);
    else this.attributes.set(key, [value]);
  }
}

export interface LdifStats {
  encoding: Exclude<Encoding, 'auto'>;
  entries: number;
  /** Continuation references (`ref:`) and ldapsearch's result records: not users. */
  skipped: number;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** An attribute description: a name (or OID), options after `;` (`proxyAddresses;range=0-1499`). */
const ATTRIBUTE = /^([A-Za-z0-9][A-Za-z0-9.-]*)(;[A-Za-z0-9;=.-]*)?$/;
const NOT_ENTRIES = new Set(['ref', 'search', 'result', 'control']);

function formatError(file: string, line: number, what: string): IdreconError {
  return new IdreconError('INPUT_FORMAT', `broken LDIF: ${what}; export again with ldifde or ldapsearch, or give the CSV of idrecon export onprem`, { file, line });
}

/** One logical line: `attr: text`, `attr:: base64`, or `attr:< url` (which an export never holds). */
function parseLine(file: string, lineNo: number, line: string): { attribute: string; value: AttributeValue } {
  const colon = line.indexOf(':');
  const name = colon > 0 ? line.slice(0, colon) : '';
  const described = ATTRIBUTE.exec(name);
  if (!described) throw formatError(file, lineNo, `expected 'attribute: value', got '${line.slice(0, 40)}'`);
  const attribute = described[1];
  const rest = line.slice(colon + 1);
  if (rest.startsWith(':')) {
    const b64 = rest.slice(1).trim();
    if (!BASE64.test(b64) || b64.length % 4 !== 0) throw formatError(file, lineNo, `the value of ${attribute} after '::' is not Base64`);
    return { attribute, value: new Uint8Array(Buffer.from(b64, 'base64')) };
  }
  if (rest.startsWith('<')) throw formatError(file, lineNo, `${attribute} refers to a file ('${attribute}:<'), which idrecon does not follow`);
  return { attribute, value: rest.replace(/^ +/, '') };
}

/** The lines of one record, each with the line it starts on, folded lines joined. */
type RecordLines = { line: number; text: string }[];

function toEntry(file: string, record: RecordLines): LdifEntry | undefined {
  let lines = record;
  if (/^version:/i.test(lines[0].text)) lines = lines.slice(1);
  if (lines.length === 0) return undefined;
  const first = parseLine(file, lines[0].line, lines[0].text);
  if (first.attribute.toLowerCase() !== 'dn') {
    if (NOT_ENTRIES.has(first.attribute.toLowerCase())) return undefined;
    throw formatError(file, lines[0].line, `an entry must start with 'dn:', not '${first.attribute}:'`);
  }
  const dn = typeof first.value === 'string' ? first.value : Buffer.from(first.value).toString('utf8');
  const entry = new LdifEntry(dn, lines[0].line);
  for (const { line, text } of lines.slice(1)) {
    const { attribute, value } = parseLine(file, line, text);
    if (attribute.toLowerCase() === 'changetype') {
      const kind = typeof value === 'string' ? value.trim().toLowerCase() : '';
      if (kind !== 'add') throw formatError(file, line, `'changetype: ${kind}' is a change to apply, not an export of entries`);
      continue;
    }
    entry.add(attribute, value);
  }
  return entry;
}

/** Reads every entry of an LDIF file, in order, handing each to `visit`. */
export async function scanLdif(file: string, encoding: Encoding, visit: (entry: LdifEntry) => void): Promise<LdifStats> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new IdreconError('INPUT_NOT_FOUND', `cannot read the file (${reason}); check the path`, { file });
  }
  const stats: LdifStats = { encoding: 'utf-8', entries: 0, skipped: 0 };
  let record: RecordLines = [];
  let inComment = false;
  let lineNo = 0;
  const endRecord = () => {
    if (record.length === 0) return;
    const entry = toEntry(file, record);
    record = [];
    if (!entry) {
      stats.skipped++;
      return;
    }
    stats.entries++;
    visit(entry);
  };
  const take = (line: string) => {
    lineNo++;
    if (line.startsWith(' ')) {
      if (inComment) return;
      const last = record[record.length - 1];
      if (!last) throw formatError(file, lineNo, 'a continuation line (starting with a space) follows no attribute');
      last.text += line.slice(1);
      return;
    }
    inComment = line.startsWith('#');
    if (inComment) return;
    if (line === '') endRecord();
    else record.push({ line: lineNo, text: line });
  };
  try {
    const buf = Buffer.alloc(CHUNK);
    let decoder: TextDecoder | undefined;
    let carry = '';
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, CHUNK);
      if (!decoder) {
        stats.encoding = encodingOf(buf.subarray(0, bytesRead), encoding);
        decoder = new TextDecoder(stats.encoding, { fatal: true });
      }
      let text: string;
      try {
        text = carry + decoder.decode(buf.subarray(0, bytesRead), { stream: bytesRead > 0 });
      } catch {
        throw new IdreconError('INPUT_ENCODING', `is not valid ${stats.encoding} after line ${lineNo}; re-export it, or run again with --encoding`, { file });
      }
      if (lineNo === 0 && carry === '') text = text.replace(/^\ufeff/, '');
      const lines = text.split('\n');
      carry = bytesRead > 0 ? lines.pop()! : '';
      for (const l of lines) take(l.endsWith('\r') ? l.slice(0, -1) : l);
      if (bytesRead === 0) break;
    }
    endRecord();
  } finally {
    await handle.close();
  }
  return stats;
}
