/** manifest.json, written last when a set is published, reads back to each file's size and SHA-256. */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtomicFile } from '../../lib/io/csv-writer';
import { publishSet } from '../../lib/io/output-set';
import { MANIFEST, checkAgainstManifest, manifestIndex, readManifest } from '../../lib/formats/manifest';
import { tempDir } from '../helpers';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

test('the manifest round-trips through the file and vouches for each file of its set', async () => {
  const dir = tempDir();
  const contents = { 'reconciliation.csv': '\ufeffupn\r\njo@contoso.com\r\n', 'summary.json': '{}\n' };
  const files: AtomicFile[] = [];
  for (const [name, text] of Object.entries(contents)) {
    const f = new AtomicFile(join(dir, name));
    await f.write(text);
    files.push(f);
  }
  await publishSet(files, { index: manifestIndex(dir, 'reconcile') });
  expect(await readManifest(join(dir, MANIFEST))).toEqual({
    command: 'reconcile',
    files: Object.fromEntries(Object.entries(contents).map(([name, text]) => [name, { bytes: Buffer.byteLength(text), sha256: sha256(text) }])),
  });
  await expect(checkAgainstManifest(join(dir, 'reconciliation.csv'))).resolves.toBeUndefined();
  writeFileSync(join(dir, 'reconciliation.csv'), '\ufeffupn\r\nal@contoso.com\r\n');
  await expect(checkAgainstManifest(join(dir, 'reconciliation.csv'))).rejects.toMatchObject({
    code: 'INPUT_VALUE',
    message: 'it differs from what manifest.json records (size or SHA-256): it was changed since reconcile wrote it, or only part of a run was published; run idrecon reconcile again',
  });
});
