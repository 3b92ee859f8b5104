/** Cells a spreadsheet would turn into a formula, number or date are written so it keeps the text. */
import { guardText as protectCell, unguardCell as unprotectCell } from '../../lib/core/cell-guard';

test.each([
  ['+9kaGpXmXFWlO8l/IOLgyw==', '="+9kaGpXmXFWlO8l/IOLgyw=="'],
  ['=HYPERLINK("http://x")', '="=HYPERLINK(""http://x"")"'],
  ['-1', '="-1"'],
  ['@SUM(A1)', '="@SUM(A1)"'],
  ['\tx', '="\tx"'],
  ['\rx', '="\rx"'],
  ['007', '="007"'],
  ['1e5', '="1e5"'],
  ['2026-11-22', '="2026-11-22"'],
  ['1/2', '="1/2"'],
  ['12:30', '="12:30"'],
  ['MXiqdGCsbEy88DxCsxC66g==', 'MXiqdGCsbEy88DxCsxC66g=='],
  ['h0bc89bbdafe657381d15', 'h0bc89bbdafe657381d15'],
  ['jo@contoso.com', 'jo@contoso.com'],
  ['', ''],
])('%j is written as %j and read back exactly', (value, written) => {
  expect(protectCell(value)).toBe(written);
  expect(unprotectCell(written)).toBe(value);
  expect(unprotectCell(value)).toBe(value);
});
