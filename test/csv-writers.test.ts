/**
 * One rule for every CSV idrecon writes: CsvWriter (csv-stringify under it) and ByteCsvWriter,
 * the million-row path of reconciliation.csv, write the same cells to the same bytes: quoted when
 * they hold a comma, a double quote, CR or LF, guarded when they start a formula.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteCsvWriter, CsvWriter } from '../lib/io/csv-writer';
import { tempDir } from './helpers';

const CELLS = ['plain', 'a,b', 'say "hi"', 'two\r\nlines', 'lone\nlf', 'lone\rcr', '"', ',', 'Ünal Çelik', '=1+1', '-"x",y', ''];

test('both writers give the same bytes for every kind of cell', async () => {
  const dir = tempDir();
  const text = new CsvWriter(join(dir, 'text.csv'), ['value', 'n']);
  const bytes = new ByteCsvWriter(join(dir, 'bytes.csv'), ['value', 'n']);
  for (const [i, v] of CELLS.entries()) {
    await text.row([v, String(i)]);
    const b = Buffer.from(v, 'utf8');
    bytes.rows.field(b, 0, b.length);
    bytes.rows.integer(i);
    bytes.rows.endRow();
  }
  await text.commit();
  await bytes.commit();
  const expected =
    '\ufeffvalue,n\r\n' +
    'plain,0\r\n' +
    '"a,b",1\r\n' +
    '"say ""hi""",2\r\n' +
    '"two\r\nlines",3\r\n' +
    '"lone\nlf",4\r\n' +
    '"lone\rcr",5\r\n' +
    '"""",6\r\n' +
    '",",7\r\n' +
    'Ünal Çelik,8\r\n' +
    '"=""=1+1""",9\r\n' +
    '"=""-""""x"""",y""",10\r\n' +
    ',11\r\n';
  expect(readFileSync(join(dir, 'text.csv'), 'utf8')).toBe(expected);
  expect(readFileSync(join(dir, 'bytes.csv'), 'utf8')).toBe(expected);
});
