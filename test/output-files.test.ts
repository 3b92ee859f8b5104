/** Output files read back exactly: UTF-8 with BOM, CRLF, and any value with a line break quoted. */
import { parse } from 'csv-parse/sync';
import { G } from './guids';
import { csv, reconcileInline } from './helpers';

test('a value with a lone LF or CR is quoted, so the row stays one row', async () => {
  const r = await reconcileInline(
    `UserPrincipalName,ObjectGUID\n"lf@contoso.com","bad\nguid"\n"cr@contoso.com","bad\rguid"\n`,
    csv(`
      id,userPrincipalName,onPremisesImmutableId
      c1,x@contoso.com,${G[1].id}
    `),
  );
  expect(r.code).toBe(0);
  const rows = parse(r.rejects, { bom: true, columns: true }) as Record<string, string>[];
  expect(rows.map((row) => [row.line, row.value])).toEqual([
    ['2', 'bad\nguid'],
    ['4', 'bad\rguid'],
  ]);
  expect(r.rejects.split('\r\n')[1]).toMatch(/,"bad\nguid",bad-anchor,/);
});
