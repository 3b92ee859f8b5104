/**
 * The CSV reader against RFC 4180: quoting, embedded line breaks, CRLF, LF and CR, byte order
 * marks, delimiters, and the same records and line numbers whatever size the chunks it reads are.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CsvReadOptions, type CsvRecord, readCsv } from '../lib/io/csv-reader';
import { IdreconError } from '../lib/errors';
import { mulberry32 } from '../lib/core/prng';
import { tempDir } from './helpers';

const AUTO: CsvReadOptions = { encoding: 'auto', delimiter: 'auto' };

async function records(bytes: string | Buffer, opts: CsvReadOptions = AUTO): Promise<CsvRecord[]> {
  const file = join(tempDir(), 'in.csv');
  writeFileSync(file, bytes);
  const out: CsvRecord[] = [];
  for await (const r of readCsv(file, opts)) out.push(r);
  return out;
}

async function failure(bytes: string | Buffer, opts: CsvReadOptions = AUTO): Promise<{ code: string; line?: number; message: string }> {
  try {
    await records(bytes, opts);
  } catch (err) {
    const e = err as IdreconError;
    return { code: e.code, line: e.context.line, message: e.message };
  }
  throw new Error('expected the file to be refused');
}

test('quoted fields hold delimiters, doubled quotes and line breaks of every kind', async () => {
  const text = 'a,b,c\r\n"x,1","say ""hi""","two\r\nlines"\r\n"lf\nonly","cr\ronly",\r\nlast,"",end';
  expect(await records(text)).toEqual([
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 2, fields: ['x,1', 'say "hi"', 'two\r\nlines'] },
    { line: 4, fields: ['lf\nonly', 'cr\ronly', ''] },
    { line: 7, fields: ['last', '', 'end'] },
  ]);
});

test('records end at CRLF, LF or CR, and a last line needs no line break', async () => {
  expect(await records('h1,h2\ra,b\nc,d\r\ne,f')).toEqual([
    { line: 1, fields: ['h1', 'h2'] },
    { line: 2, fields: ['a', 'b'] },
    { line: 3, fields: ['c', 'd'] },
    { line: 4, fields: ['e', 'f'] },
  ]);
});

test('a byte order mark and the #TYPE line are not data; semicolons and tabs are found', async () => {
  expect(await records('\ufeff#TYPE Selected.Microsoft.ActiveDirectory.Management.ADUser\r\n"A";"B"\r\n"1;2";"3"\r\n')).toEqual([
    { line: 2, fields: ['A', 'B'] },
    { line: 3, fields: ['1;2', '3'] },
  ]);
  expect(await records('A\tB\n1,2\t3\n')).toEqual([
    { line: 1, fields: ['A', 'B'] },
    { line: 2, fields: ['1,2', '3'] },
  ]);
});

test('UTF-16 with a byte order mark reads to the same records as UTF-8', async () => {
  const text = 'UPN,Name\r\n"müller@contoso.com","Jürgen\r\nMüller"\r\n';
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  expect(await records(le)).toEqual(await records(text));
});

test('broken quoting is refused with the line it is on', async () => {
  expect(await failure('a,b\n1,"open\n2,3\n')).toEqual({
    code: 'INPUT_QUOTING',
    line: 2,
    message: expect.stringContaining('a quoted field starts on this line and is never closed'),
  });
  expect(await failure('a,b\n"x\ny"z,1\n')).toEqual({
    code: 'INPUT_QUOTING',
    line: 3,
    message: expect.stringContaining('a closing quote is followed by more text'),
  });
  expect(await failure('a,b\n1,2\n3,4 "5"\n')).toEqual({
    code: 'INPUT_QUOTING',
    line: 3,
    message: expect.stringContaining('a double quote appears inside a field that is not quoted'),
  });
});

/** A seeded file of awkward records, with the fields and start line of each as written. */
function corpus(seed: number, rows: number): { text: string; expected: CsvRecord[] } {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const plain = ['user', 'Müller', '€5', 'a b', 'x', '0', 'CN=Doe\\'];
  const inside = ['', ',', '"', '\r\n', '\n', '\r', ' ', 'ü', ';'];
  const expected: CsvRecord[] = [];
  const parts: string[] = [];
  let line = 1;
  for (let r = 0; r < rows; r++) {
    const fields: string[] = [];
    const written: string[] = [];
    let breaks = 0;
    const count = 1 + Math.floor(rand() * 5);
    for (let f = 0; f < count; f++) {
      if (f === 0 || rand() < 0.5) {
        const v = pick(plain) + (f === 0 ? String(r) : '');
        fields.push(v);
        written.push(rand() < 0.3 ? `"${v}"` : v);
      } else {
        let v = '';
        for (let k = 0; k < 3; k++) v += pick(plain) + pick(inside);
        fields.push(v);
        written.push(`"${v.replaceAll('"', '""')}"`);
        breaks += (v.match(/\r\n|\r|\n/g) ?? []).length;
      }
    }
    expected.push({ line, fields });
    line += breaks + 1;
    parts.push(written.join(','), pick(['\r\n', '\n']));
  }
  return { text: parts.join(''), expected };
}

test('records and line numbers are the same whatever size the chunks are read in', async () => {
  const { text, expected } = corpus(7, 400);
  const file = join(tempDir(), 'corpus.csv');
  writeFileSync(file, text);
  expect(await records(text)).toEqual(expected);
  for (const chunkBytes of [4, 5, 7, 16, 31, 64, 257]) {
    const got: CsvRecord[] = [];
    for await (const r of readCsv(file, { ...AUTO, chunkBytes })) got.push(r);
    expect({ chunkBytes, got }).toEqual({ chunkBytes, got: expected });
  }
});

test('a byte that is not UTF-8 is named by line even when it falls at a chunk edge', async () => {
  const lines = ['a,b', ...Array.from({ length: 30 }, (_, i) => `row${i},ok`)];
  const bad = Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\nM'), Buffer.from([0xfc]), Buffer.from('ller,x\r\n')]);
  for (const chunkBytes of [4, 9, 64, undefined]) {
    expect(await failure(bad, { ...AUTO, chunkBytes })).toEqual({
      code: 'INPUT_ENCODING',
      line: 32,
      message: expect.stringContaining('is not valid UTF-8 (byte 0xFC)'),
    });
  }
});
