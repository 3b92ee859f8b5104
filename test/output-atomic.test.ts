/** An output abandoned at any moment leaves nothing behind, not even its temporary file. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AtomicFile, CsvWriter } from '../lib/io/csv-writer';
import { tempDir } from './helpers';

test('aborting right after creation removes the temporary file once the stream has opened it', async () => {
  const dir = tempDir();
  await Promise.all([new AtomicFile(join(dir, 'summary.json')).abort(), new CsvWriter(join(dir, 'reconciliation.csv'), ['upn']).abort()]);
  expect(readdirSync(dir)).toEqual([]);
});

test('aborting after rows were written removes everything', async () => {
  const dir = tempDir();
  const w = new CsvWriter(join(dir, 'reconciliation.csv'), ['upn']);
  for (let i = 0; i < 5000; i++) await w.row([`u${i}@contoso.com`]);
  await w.abort();
  expect(readdirSync(dir)).toEqual([]);
});
