/** An --out folder that is a file, or lies under one, is an admin's mistake said in words: exit 2. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { G } from './guids';
import { cli, csv, tempDir } from './helpers';

test('--out naming a file, or a folder under a file, says so and exits 2', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'onprem.csv'), csv(`
    UserPrincipalName,ObjectGUID
    jo@contoso.com,${G[1].guid}
  `));
  writeFileSync(join(dir, 'cloud.csv'), csv(`
    id,userPrincipalName,onPremisesImmutableId
    c1,jo@contoso.com,
  `));
  const file = join(dir, 'ofile');
  writeFileSync(file, 'not a folder');
  const run = (out: string) => cli(['reconcile', '--onprem', join(dir, 'onprem.csv'), '--cloud', join(dir, 'cloud.csv'), '--out', out]);
  expect(await run(file)).toEqual({
    code: 2,
    stdout: '',
    stderr: `idrecon: ${file}: cannot create the output folder (a file has that name, not a folder); choose another --out\n`,
  });
  expect(await run(join(file, 'out'))).toEqual({
    code: 2,
    stdout: '',
    stderr: `idrecon: ${join(file, 'out')}: cannot create the output folder (part of the path is a file, not a folder); choose another --out\n`,
  });
});
